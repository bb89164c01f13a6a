fn main() -> std::process::ExitCode {
    web::run(external_api::SERVICE)
}
