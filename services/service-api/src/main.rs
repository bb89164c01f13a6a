fn main() -> Result<(), Box<dyn std::error::Error>> {
    web::run(service_api::SERVICE)
}
