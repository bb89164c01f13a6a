fn main() -> Result<(), Box<dyn std::error::Error>> {
    web::run(external_api::SERVICE)
}
