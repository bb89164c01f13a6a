fn main() -> std::process::ExitCode {
    web::run(seller_api::SERVICE)
}
