fn main() -> std::process::ExitCode {
    web::run(admin_api::SERVICE)
}
