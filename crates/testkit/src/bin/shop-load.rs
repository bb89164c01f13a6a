//! Load generator for the shopping path (used by `scripts/bench`): guest
//! buyers that add to the cart, check out and pay with the test method.
//!
//!   shop-load checkout   --base URL --host HOST --buyers N --seconds S --sku A --sku B
//!                        [--per-order K]
//!   shop-load checkouts  --base URL --host HOST --buyers N --orders M --sku A --sku B
//!                        [--per-order K]
//!   shop-load flash-sale --base URL --host HOST --buyers N --sku A --seed SEED
//!
//! `checkouts` times the checkout request alone: M guests fill their carts
//! first (untimed), then N at a time check out until all M have.
//!
//! In `checkout` and `checkouts` each order adds K SKUs (all of them by default), the next
//! K of the list each time, so buyers spread over a long list in turn.
//!
//! Prints one JSON object: completed orders, their rate, order latency
//! percentiles and the count of every answer by status and problem code.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use uuid::Uuid;

struct Options {
    scenario: String,
    base: String,
    host: String,
    buyers: usize,
    seconds: u64,
    skus: Vec<String>,
    per_order: usize,
    orders: usize,
    seed: u64,
}

fn options() -> Result<Options, String> {
    let mut args = std::env::args().skip(1);
    let scenario = args
        .next()
        .ok_or("usage: shop-load checkout|flash-sale [options]")?;
    let mut options = Options {
        scenario,
        base: "http://127.0.0.1:8080".into(),
        host: "api.localhost".into(),
        buyers: 8,
        seconds: 15,
        skus: Vec::new(),
        per_order: 0,
        orders: 1000,
        seed: 1,
    };
    while let Some(flag) = args.next() {
        let value = args.next().ok_or(format!("{flag} needs a value"))?;
        let number = || value.parse::<u64>().map_err(|e| format!("{flag}: {e}"));
        match flag.as_str() {
            "--base" => options.base = value.clone(),
            "--host" => options.host = value.clone(),
            "--buyers" => options.buyers = usize::try_from(number()?).map_err(|e| e.to_string())?,
            "--seconds" => options.seconds = number()?,
            "--sku" => options.skus.push(value.clone()),
            "--seed" => options.seed = number()?,
            "--orders" => options.orders = usize::try_from(number()?).map_err(|e| e.to_string())?,
            "--per-order" => {
                options.per_order = usize::try_from(number()?).map_err(|e| e.to_string())?;
            }
            other => return Err(format!("unknown option {other}")),
        }
    }
    if options.skus.is_empty() {
        return Err("at least one --sku".into());
    }
    if options.per_order == 0 || options.per_order > options.skus.len() {
        options.per_order = options.skus.len();
    }
    Ok(options)
}

/// One buyer's session.
struct Buyer {
    token: String,
    device: String,
    /// Each buyer comes from an address of its own (through nginx, which
    /// the services trust), as real buyers do.
    address: String,
}

/// Answers seen, by `status code` (and problem code when there is one).
type Tally = BTreeMap<String, u64>;

struct Shop {
    client: Client,
    base: String,
    host: String,
}

impl Shop {
    /// One POST; a 503 or a dropped connection is retried (up to five
    /// times, as a client would, under the same Idempotency-Key).
    async fn call(
        &self,
        buyer: Option<&Buyer>,
        path: &str,
        body: &Value,
        key: Option<&str>,
    ) -> Result<(StatusCode, Value), String> {
        let mut attempt = 0;
        loop {
            attempt += 1;
            let mut request = self
                .client
                .post(format!("{}{path}", self.base))
                .header("host", &self.host)
                .json(body);
            if let Some(buyer) = buyer {
                request = request
                    .bearer_auth(&buyer.token)
                    .header("x-device-id", &buyer.device)
                    .header("x-forwarded-for", &buyer.address);
            }
            if let Some(key) = key {
                request = request.header("idempotency-key", key);
            }
            match request.send().await {
                Ok(response)
                    if response.status() != StatusCode::SERVICE_UNAVAILABLE || attempt == 5 =>
                {
                    let status = response.status();
                    let body = response.json().await.unwrap_or(Value::Null);
                    return Ok((status, body));
                }
                Err(error) if attempt == 5 => return Err(error.to_string()),
                _ => tokio::time::sleep(Duration::from_millis(50 * attempt)).await,
            }
        }
    }

    async fn guest(&self) -> Result<Buyer, String> {
        let seed = Uuid::new_v4();
        let device = seed.to_string();
        let address = testkit::shop::benchmark_address(seed);
        let response = self
            .client
            .post(format!("{}/v1/auth/guest", self.base))
            .header("host", &self.host)
            .header("x-device-id", &device)
            .header("x-forwarded-for", &address)
            .send()
            .await
            .map_err(|e| e.to_string())?;
        let body: Value = response.json().await.map_err(|e| e.to_string())?;
        let token = body["access_token"]
            .as_str()
            .ok_or(format!("no guest token: {body}"))?;
        Ok(Buyer {
            token: token.to_owned(),
            device,
            address,
        })
    }

    async fn add(&self, buyer: &Buyer, sku: &str, tally: &mut Tally) -> Result<bool, String> {
        let (status, body) = self
            .call(
                Some(buyer),
                "/v1/cart/items",
                &json!({ "sku_id": sku, "quantity": 1 }),
                None,
            )
            .await?;
        record(tally, "cart", status, &body);
        Ok(status == StatusCode::OK)
    }

    /// Checks out and pays; `Some(order id)` when paid.
    async fn order(&self, buyer: &Buyer, tally: &mut Tally) -> Result<Option<String>, String> {
        let Some(id) = self.check_out(buyer, tally).await? else {
            return Ok(None);
        };
        let key = Uuid::new_v4().to_string();
        let (status, paid) = self
            .call(
                Some(buyer),
                "/v1/payments/test/confirm",
                &json!({ "purchase_order_id": id }),
                Some(&key),
            )
            .await?;
        record(tally, "pay", status, &paid);
        Ok((status == StatusCode::OK).then_some(id))
    }

    /// Checks out the whole cart; `Some(order id)` when placed.
    async fn check_out(&self, buyer: &Buyer, tally: &mut Tally) -> Result<Option<String>, String> {
        let body = json!({
            "orderer": { "name": "Load Buyer", "phone": "010-1234-5678", "email": "load@shop.example" },
            "shipping": {
                "recipient_name": "Load Buyer", "recipient_phone": "010-1234-5678",
                "postal_code": "06236", "address_line1": "123 Teheran-ro, Seoul"
            }
        });
        let key = Uuid::new_v4().to_string();
        let (status, created) = self
            .call(Some(buyer), "/v1/checkout", &body, Some(&key))
            .await?;
        record(tally, "checkout", status, &created);
        if status != StatusCode::CREATED {
            return Ok(None);
        }
        Ok(created["purchase_order_id"].as_str().map(str::to_owned))
    }

    /// Adds the `per_order` SKUs of the list from entry `first` on.
    async fn fill(
        &self,
        buyer: &Buyer,
        options: &Options,
        first: usize,
        tally: &mut Tally,
    ) -> Result<bool, String> {
        let mut added = true;
        for sku in options
            .skus
            .iter()
            .cycle()
            .skip(first % options.skus.len())
            .take(options.per_order)
        {
            added &= self.add(buyer, sku, tally).await?;
        }
        Ok(added)
    }
}

fn record(tally: &mut Tally, step: &str, status: StatusCode, body: &Value) {
    let code = body["code"]
        .as_str()
        .map(|c| format!(" {c}"))
        .unwrap_or_default();
    *tally
        .entry(format!("{step} {}{code}", status.as_u16()))
        .or_default() += 1;
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

/// Merges each buyer's answers into `tally`; returns their latencies, sorted.
fn gather<L: IntoIterator<Item = f64>>(
    results: Vec<Result<(Tally, L), String>>,
    tally: &mut Tally,
) -> Result<Vec<f64>, String> {
    let mut latencies = Vec::new();
    for result in results {
        let (answers, latency) = result?;
        merge(tally, answers);
        latencies.extend(latency);
    }
    latencies.sort_by(f64::total_cmp);
    Ok(latencies)
}

fn merge(into: &mut Tally, from: Tally) {
    for (key, count) in from {
        *into.entry(key).or_default() += count;
    }
}

/// Steady buyers: each adds its next SKUs, checks out and pays, again and
/// again. Order `n` of buyer `b` starts at entry `(n × buyers + b) × K` of
/// the list, so at any time the buyers hold different entries.
async fn checkout_scenario(shop: &Shop, options: &Options) -> Result<Value, String> {
    let mut buyers = Vec::with_capacity(options.buyers);
    for _ in 0..options.buyers {
        buyers.push(shop.guest().await?);
    }
    let started = Instant::now();
    let deadline = started + Duration::from_secs(options.seconds);
    let runs = buyers.iter().enumerate().map(|(at, buyer)| async move {
        let mut tally = Tally::new();
        let mut latencies = Vec::new();
        let mut order = 0;
        while Instant::now() < deadline {
            let began = Instant::now();
            let mut added = true;
            let first = (order * options.buyers + at) * options.per_order;
            order += 1;
            added &= shop.fill(buyer, options, first, &mut tally).await?;
            if added && shop.order(buyer, &mut tally).await?.is_some() {
                latencies.push(began.elapsed().as_secs_f64() * 1000.0);
            }
        }
        Ok::<_, String>((tally, latencies))
    });
    let results = futures_util::future::join_all(runs).await;
    let elapsed = started.elapsed().as_secs_f64();
    let mut tally = Tally::new();
    let latencies = gather(results, &mut tally)?;
    Ok(json!({
        "scenario": "checkout",
        "buyers": options.buyers,
        "seconds": elapsed,
        "orders": latencies.len(),
        "orders_per_second": latencies.len() as f64 / elapsed,
        "p50_ms": percentile(&latencies, 50.0),
        "p99_ms": percentile(&latencies, 99.0),
        "answers": tally,
    }))
}

/// The checkout request alone: `orders` guests fill their carts first
/// (untimed), then `buyers` lanes check them out one after another.
async fn checkouts_scenario(shop: &Shop, options: &Options) -> Result<Value, String> {
    let lanes = options.buyers.min(options.orders).max(1);
    let fills = (0..lanes).map(|lane| async move {
        let mut tally = Tally::new();
        let mut ready = Vec::new();
        for n in (lane..options.orders).step_by(lanes) {
            let buyer = shop.guest().await?;
            if shop
                .fill(&buyer, options, n * options.per_order, &mut tally)
                .await?
            {
                ready.push(buyer);
            }
        }
        Ok::<_, String>((tally, ready))
    });
    let mut tally = Tally::new();
    let mut lanes_of_buyers = Vec::with_capacity(lanes);
    for result in futures_util::future::join_all(fills).await {
        let (t, ready) = result?;
        merge(&mut tally, t);
        lanes_of_buyers.push(ready);
    }
    // A mark on stderr for whoever samples the machine during the timed part.
    eprintln!("carts filled; checking out");
    let started = Instant::now();
    let runs = lanes_of_buyers.iter().map(|buyers| async move {
        let mut tally = Tally::new();
        let mut latencies = Vec::new();
        for buyer in buyers {
            let began = Instant::now();
            if shop.check_out(buyer, &mut tally).await?.is_some() {
                latencies.push(began.elapsed().as_secs_f64() * 1000.0);
            }
        }
        Ok::<_, String>((tally, latencies))
    });
    let results = futures_util::future::join_all(runs).await;
    let elapsed = started.elapsed().as_secs_f64();
    let latencies = gather(results, &mut tally)?;
    Ok(json!({
        "scenario": "checkouts",
        "buyers": lanes,
        "seconds": elapsed,
        "checkouts": latencies.len(),
        "checkouts_per_second": latencies.len() as f64 / elapsed,
        "p50_ms": percentile(&latencies, 50.0),
        "p99_ms": percentile(&latencies, 99.0),
        "answers": tally,
    }))
}

/// Many buyers, one SKU, all at once: each adds it, then all check out and
/// pay together (launch order shuffled by the seed).
async fn flash_sale_scenario(shop: &Shop, options: &Options) -> Result<Value, String> {
    let sku = &options.skus[0];
    let mut buyers = Vec::with_capacity(options.buyers);
    let mut tally = Tally::new();
    for _ in 0..options.buyers {
        let buyer = shop.guest().await?;
        shop.add(&buyer, sku, &mut tally).await?;
        buyers.push(buyer);
    }
    // A seeded shuffle (xorshift) of who goes first.
    let mut state = options.seed.max(1);
    for i in (1..buyers.len()).rev() {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let j = usize::try_from(state % (i as u64 + 1)).unwrap_or(0);
        buyers.swap(i, j);
    }
    let started = Instant::now();
    let runs = buyers.iter().map(|buyer| async move {
        let mut tally = Tally::new();
        let began = Instant::now();
        let paid = shop.order(buyer, &mut tally).await?;
        Ok::<_, String>((tally, paid.map(|_| began.elapsed().as_secs_f64() * 1000.0)))
    });
    let results = futures_util::future::join_all(runs).await;
    let elapsed = started.elapsed().as_secs_f64();
    let latencies = gather(results, &mut tally)?;
    Ok(json!({
        "scenario": "flash-sale",
        "buyers": options.buyers,
        "seed": options.seed,
        "seconds": elapsed,
        "paid_orders": latencies.len(),
        "p50_ms": percentile(&latencies, 50.0),
        "p99_ms": percentile(&latencies, 99.0),
        "answers": tally,
    }))
}

fn main() -> Result<(), String> {
    let options = options()?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    runtime.block_on(async {
        let shop = Shop {
            client: Client::builder()
                .pool_max_idle_per_host(1024)
                .timeout(Duration::from_secs(60))
                .build()
                .map_err(|e| e.to_string())?,
            base: options.base.clone(),
            host: options.host.clone(),
        };
        let report = match options.scenario.as_str() {
            "checkout" => checkout_scenario(&shop, &options).await?,
            "checkouts" => checkouts_scenario(&shop, &options).await?,
            "flash-sale" => flash_sale_scenario(&shop, &options).await?,
            other => return Err(format!("unknown scenario {other}")),
        };
        println!("{report}");
        Ok(())
    })
}
