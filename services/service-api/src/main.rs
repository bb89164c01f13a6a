fn main() -> std::process::ExitCode {
    web::run(service_api::SERVICE)
}
