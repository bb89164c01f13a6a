fn main() -> Result<(), Box<dyn std::error::Error>> {
    web::run(admin_api::SERVICE)
}
