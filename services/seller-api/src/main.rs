fn main() -> Result<(), Box<dyn std::error::Error>> {
    web::run(seller_api::SERVICE)
}
