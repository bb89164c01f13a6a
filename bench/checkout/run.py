"""The checkout and flash-sale benchmarks: guest buyers through nginx
(`shop-load`) beside pgbench running the same order's SQL, in one run on one
machine.

Called by `scripts/bench checkout` and `scripts/bench flash-sale`; writes a
Markdown report."""

import argparse
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone

DB = ["-h", "127.0.0.1", "-p", "55432", "-U", "postgres", "marketplace"]
HERE = os.path.dirname(os.path.abspath(__file__))


def psql(sql):
    done = subprocess.run(["psql", "-XAtq", "-v", "ON_ERROR_STOP=1", "-c", sql] + DB,
                          capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"psql failed: {done.stderr.strip()}\n{sql}")
    return [line for line in done.stdout.splitlines() if line]


def buyable_skus(count):
    """SKUs of different approved vendors, listed, for everyone (not adult)."""
    rows = psql(
        "SELECT DISTINCT ON (s.seller_id) s.id || ' ' || s.seller_id FROM skus s "
        "JOIN products p ON p.id = s.product_id JOIN sellers se ON se.id = s.seller_id "
        "WHERE p.status = 'on_sale' AND NOT p.adult_only AND se.status = 'approved' "
        "AND s.sale_starts_at IS NULL AND s.sale_ends_at IS NULL "
        f"ORDER BY s.seller_id, s.id LIMIT {count}")
    return [tuple(row.split()) for row in rows]


def sku_pairs(count):
    """`count` pairs of buyable SKUs, the two of each pair from different
    vendors: the vendors' SKUs taken in turn, so neighbours differ."""
    by_seller = {}
    for row in psql(
            "SELECT s.id || ' ' || s.seller_id FROM skus s "
            "JOIN products p ON p.id = s.product_id JOIN sellers se ON se.id = s.seller_id "
            "WHERE p.status = 'on_sale' AND NOT p.adult_only AND se.status = 'approved' "
            "AND s.sale_starts_at IS NULL AND s.sale_ends_at IS NULL ORDER BY s.seller_id, s.id"):
        sku, seller = row.split()
        by_seller.setdefault(seller, []).append((sku, seller))
    if len(by_seller) < 2:
        sys.exit("the demo catalog needs SKUs of two vendors")
    depth = min(len(skus) for skus in by_seller.values())
    in_turn = [skus[i] for i in range(depth) for skus in by_seller.values()]
    pairs = [(a, b) for a, b in zip(in_turn[0::2], in_turn[1::2])]
    if len(pairs) < count:
        sys.exit(f"only {len(pairs)} pairs of SKUs of different vendors")
    return pairs[:count]


def set_stock(skus, units):
    # Bench stock, set directly: released holds first, so nothing is reserved.
    ids = ", ".join(f"'{sku}'" for sku in skus)
    psql(f"UPDATE inventory_reservations SET state = 'released' WHERE sku_id IN ({ids}) AND state = 'held';"
         f"UPDATE skus SET reserved = 0, on_hand = {units} WHERE id IN ({ids})")


def drain_outbox(limit_seconds=600):
    """Waits until the worker has run every due job: a backlog left by an
    earlier run would compete with this one for the same two cores."""
    deadline = time.monotonic() + limit_seconds
    while int(psql("SELECT count(*) FROM jobs WHERE status = 'pending' AND run_at <= now()")[0]) > 0:
        if time.monotonic() > deadline:
            sys.exit("the worker did not drain the job queue")
        time.sleep(1)


def release_unpaid_orders():
    """Ends every unpaid order's hold now and releases them all, untimed.
    The checkouts alone and the checkout ceiling leave thousands of unpaid
    orders; their holds would end a quarter of an hour later, and the
    schedule would release them during another round's measurement."""
    psql("UPDATE purchase_orders SET expires_at = now() WHERE status = 'pending_payment'")
    subprocess.run([os.environ["WORKER"], "release-expired"], check=True, capture_output=True)


def shop_load(*args):
    out = subprocess.run([os.environ["SHOP_LOAD"], *args], check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def pairs_table(pairs):
    """`pairs` as an SQL table `p(k, sku_a, seller_a, sku_b, seller_b)`, k from 1."""
    values = ", ".join(f"({k}, '{a}'::uuid, '{sa}'::uuid, '{b}'::uuid, '{sb}'::uuid)"
                       for k, ((a, sa), (b, sb)) in enumerate(pairs, 1))
    return f"(VALUES {values}) AS p(k, sku_a, seller_a, sku_b, seller_b)"


def with_pairs(script, pairs):
    """The order's script buying pair `n`, drawn at random, of `pairs`: the
    first statement, which makes the order's ids, also picks the pair."""
    picked = (f" AS buyer, p.sku_a, p.seller_a, p.sku_b, p.seller_b FROM {pairs_table(pairs)} "
              "WHERE p.k = :n \\gset")
    script = re.sub(r" AS buyer \\gset", lambda _: picked, script, count=1)
    return f"\\set n random(1, {len(pairs)})\n" + script


def pgbench(script, seconds, clients, variables):
    with tempfile.NamedTemporaryFile("w", suffix=".sql", delete=False) as f:
        f.write(script)
        path = f.name
    defines = [arg for name, value in variables.items() for arg in ("-D", f"{name}={value}")]
    out = subprocess.run(
        [os.environ["PGBENCH"], "-n", "-M", "prepared", f"-c{clients}", f"-j{min(2, clients)}", f"-T{seconds}",
         "-r", *defines, "-f", path] + DB,
        check=True, capture_output=True, text=True,
        # One plan per statement and connection, as the app's pools run
        # (ADR 0015).
        env={**os.environ, "PGOPTIONS": "-c plan_cache_mode=force_generic_plan"},
    ).stdout
    os.unlink(path)
    tps = float(re.search(r"tps = ([\d.]+) \(without initial connection time\)", out).group(1))
    latency = float(re.search(r"latency average = ([\d.]+) ms", out).group(1))
    return {"tps": tps, "latency": latency}


def order_scripts():
    whole = open(os.path.join(HERE, "order.sql")).read()
    header, checkout = split_order(whole)
    return whole, header + checkout


def split_order(whole):
    """The order script's first statement (the order's ids) and its
    checkout transaction, between its markers."""
    header = whole[:whole.index("\\startpipeline\nBEGIN;")]
    return header, whole[whole.index("-- checkout begins"):whole.index("-- checkout ends")]


# Carts filled for the checkout ceiling: more than pgbench checks out in a run.
FILLED_CARTS = 60_000
FILLED_OWNER = "bench-co-"
REMOVE_FILLED_CARTS = f"DELETE FROM carts WHERE owner LIKE '{FILLED_OWNER}%'"


def checkout_script(whole, pairs):
    """The checkout request's statements, like for like with the app's
    checkouts alone: the buyer's cart was filled beforehand (`fill_carts`),
    so the cart read finds its two lines and the order removes them, and the
    idempotency claim is made, so the buyer's lock is taken. The app commits
    the claim on its own ahead of the transaction, in one pipeline; pgbench
    cannot sync inside a pipeline, so the claim rides in the transaction's
    first group instead: one commit fewer than the app."""
    header, checkout = split_order(whole)
    claim = next(line for line in whole.splitlines() if line.startswith("INSERT INTO idempotency_keys"))
    body = checkout.replace("\\startpipeline\nBEGIN;\n", f"\\startpipeline\nBEGIN;\n{claim}\n", 1)
    picked = (f"'{FILLED_OWNER}' || b.n AS buyer, p.sku_a, p.seller_a, p.sku_b, p.seller_b "
              "FROM (SELECT nextval('bench.checkout_buyer') AS n) b "
              f"JOIN {pairs_table(pairs)} ON p.k = (b.n - 1) % {len(pairs)} + 1 \\gset")
    header = re.sub(r"'bench-' \|\| gen_random_uuid\(\) AS buyer \\gset", lambda _: picked, header, count=1)
    return header + body


def fill_carts(pairs):
    """`FILLED_CARTS` carts of two lines each, cart n holding pair n of
    `pairs` (modulo), for `checkout_script`; its buyers are taken in turn."""
    psql("CREATE SCHEMA IF NOT EXISTS bench; DROP SEQUENCE IF EXISTS bench.checkout_buyer; "
         "CREATE SEQUENCE bench.checkout_buyer; "
         f"{REMOVE_FILLED_CARTS}; "
         f"INSERT INTO carts (id, owner) SELECT gen_random_uuid(), '{FILLED_OWNER}' || g "
         f"FROM generate_series(1, {FILLED_CARTS}) g; "
         "INSERT INTO cart_items (id, cart_id, sku_id, quantity, price_seen) "
         "SELECT gen_random_uuid(), c.id, line.sku, 1, 1000 FROM carts c "
         f"JOIN {pairs_table(pairs)} "
         f"ON p.k = (substr(c.owner, {len(FILLED_OWNER) + 1})::bigint - 1) % {len(pairs)} + 1 "
         "CROSS JOIN LATERAL (VALUES (p.sku_a), (p.sku_b)) AS line(sku) "
         f"WHERE c.owner LIKE '{FILLED_OWNER}%'")


def empty_filled_carts():
    """Fails the run if pgbench checked out more carts than were filled
    (later ones would have been empty, a lighter transaction), then removes
    the carts left."""
    used = int(psql("SELECT last_value FROM bench.checkout_buyer")[0])
    if used >= FILLED_CARTS:
        sys.exit(f"pgbench checked out all {FILLED_CARTS} filled carts; raise FILLED_CARTS")
    psql(REMOVE_FILLED_CARTS)


def header(title, args, command):
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")),
               platform.processor())
    return [
        f"# {title}",
        "",
        f"Produced by `{command}` on {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC, commit `{commit}`:",
        f"{os.cpu_count()} cores ({cpu}), load tool (`shop-load`, guest buyers) on the same machine, release",
        "builds behind nginx (`Host: api.localhost`), demo data loaded. The ceiling is the same SQL",
        "(`bench/checkout/order.sql`; `flash.sql` for the flash sale) sent by pgbench (`-M prepared`, one generic plan per statement, as the app's connections run) straight to PostgreSQL.",
        "",
    ]


def checkout(args):
    pairs = sku_pairs(args.pairs)
    hot = pairs[:1]
    set_stock([sku for pair in pairs for sku, _ in pair], 10_000_000)
    base = f"http://127.0.0.1:{args.port}"
    whole, reserve = order_scripts()

    def sku_args(chosen):
        return [arg for pair in chosen for sku, _ in pair for arg in ("--sku", sku)]

    def app(chosen):
        return shop_load("checkout", "--base", base, "--buyers", str(args.buyers), "--seconds",
                         str(args.duration), "--per-order", "2", *sku_args(chosen))

    def checkouts_alone():
        # Carts filled first, untimed; then only the checkout request.
        return shop_load("checkouts", "--base", base, "--buyers", str(args.buyers), "--orders",
                         str(args.checkouts), "--per-order", "2",
                         *sku_args(pairs))

    def ceiling(script, chosen):
        return pgbench(with_pairs(script, chosen), args.duration, args.buyers, {})

    def checkout_ceiling():
        fill_carts(pairs)
        tps = pgbench(checkout_script(whole, pairs), args.duration, args.buyers, {})
        empty_filled_carts()
        return tps

    drain_outbox()
    shop_load("checkout", "--base", base, "--buyers", "1", "--seconds", "2", "--per-order", "2",
              *sku_args(pairs))  # warm up
    rounds = []
    for number in range(1, args.rounds + 1):
        # Each round measures the app and its ceilings back to back, so each
        # ratio compares figures taken under the same conditions.
        release_unpaid_orders()
        drain_outbox()
        http = app(pairs)
        # Whether the worker kept up: each paid order makes three outbox jobs.
        http["queued"] = int(psql("SELECT count(*) FROM jobs WHERE status = 'pending' AND run_at <= now()")[0])
        drain_outbox()
        whole_tps = ceiling(whole, pairs)
        reserve_tps = ceiling(reserve, pairs)
        http["checkout_ceiling"] = checkout_ceiling()
        http["checkouts_alone"] = checkouts_alone()
        drain_outbox()
        hot_http = app(hot)
        drain_outbox()
        hot_tps = ceiling(whole, hot)
        rounds.append((http, whole_tps, reserve_tps, hot_http, hot_tps))
        print(f"checkout round {number}: {http['orders_per_second']:.1f} orders/s (p50 {http['p50_ms']:.1f} ms, "
              f"p99 {http['p99_ms']:.1f} ms), pgbench order {whole_tps['tps']:.0f}/s, "
              f"reserve-and-create {reserve_tps['tps']:.0f}/s, checkout transaction "
              f"{http['checkout_ceiling']['tps']:.0f}/s, checkouts alone "
              f"{http['checkouts_alone']['checkouts_per_second']:.1f}/s; one pair: {hot_http['orders_per_second']:.1f} "
              f"orders/s, pgbench {hot_tps['tps']:.0f}/s")

    def median(f):
        return statistics.median(f(r) for r in rounds)

    rate = median(lambda r: r[0]["orders_per_second"])
    lines = header("Checkout benchmark", args, "scripts/bench checkout") + [
        f"{args.buyers} concurrent buyers for {args.duration} s; each order is: add 2 SKUs of two vendors to the cart,",
        "check out (Idempotency-Key), pay with the test method; an order counts when paid. Each paid order",
        "makes three outbox jobs (emails to the shopper and both vendors); the worker sends them during the",
        "run, to a discarding SMTP relay (`smtp-sink`), and the table shows how many were still queued",
        "when it ended.",
        "",
        f"Buyers take {len(pairs)} pairs of SKUs in turn, so two orders rarely wait for the same SKU rows;",
        "pgbench draws a pair at random for each order. Each round starts with the job queue drained and the",
        "unpaid orders of the rounds before released (untimed), and runs",
        "the app, pgbench on the whole order, pgbench on the reserve-and-create transaction alone, pgbench on",
        f"the checkout request's statements ({FILLED_CARTS:,} carts of two lines filled first, untimed; the idempotency",
        "claim sent in the transaction, one commit fewer than the app), the app's",
        f"checkout request alone ({args.checkouts} guests fill their carts first, untimed, then {args.buyers} at a time",
        "check out without paying), then the app and pgbench again with every buyer on the same pair (every",
        "order waits for the previous one's SKU locks). The reserve-and-create transaction reads an empty cart",
        "and makes no idempotency claim, so it does less than the app's checkout; the checkout transaction",
        "does what the app's does.",
        "",
        "| round | app orders/s (4 requests each) | p50 ms | p99 ms | outbox jobs queued at the end "
        "| pgbench whole order /s | pgbench reserve-and-create /s | app ÷ whole order "
        "| pgbench checkout transaction /s | app checkouts alone /s (p99 ms) | checkouts ÷ reserve-and-create "
        "| checkouts ÷ checkout transaction "
        "| one pair: app orders/s | one pair: pgbench /s | one pair: app ÷ pgbench |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ] + [
        f"| {n} | {h['orders_per_second']:.1f} | {h['p50_ms']:.1f} | {h['p99_ms']:.1f} | {h['queued']} | {w['tps']:.0f} | "
        f"{r['tps']:.0f} | {h['orders_per_second'] / w['tps']:.2f} | {h['checkout_ceiling']['tps']:.0f} | "
        f"{h['checkouts_alone']['checkouts_per_second']:.1f} ({h['checkouts_alone']['p99_ms']:.0f}) | "
        f"{h['checkouts_alone']['checkouts_per_second'] / r['tps']:.2f} | "
        f"{h['checkouts_alone']['checkouts_per_second'] / h['checkout_ceiling']['tps']:.2f} | "
        f"{hh['orders_per_second']:.1f} | {ht['tps']:.0f} | {hh['orders_per_second'] / ht['tps']:.2f} |"
        for n, (h, w, r, hh, ht) in enumerate(rounds, 1)
    ] + [
        "",
        f"Median of {len(rounds)} rounds: **{rate:.1f} orders/s**; app ÷ whole-order ceiling "
        f"**{median(lambda r: r[0]['orders_per_second'] / r[1]['tps']):.2f}**; checkouts alone ÷ "
        f"reserve-and-create **{median(lambda r: r[0]['checkouts_alone']['checkouts_per_second'] / r[2]['tps']):.2f}**, "
        "÷ the checkout transaction "
        f"**{median(lambda r: r[0]['checkouts_alone']['checkouts_per_second'] / r[0]['checkout_ceiling']['tps']):.2f}**. "
        "One pair for everyone: "
        f"{median(lambda r: r[3]['orders_per_second']):.1f} orders/s, ÷ its ceiling "
        f"{median(lambda r: r[3]['orders_per_second'] / r[4]['tps']):.2f}.",
        "",
        "Answers seen in the last round: "
        + ", ".join(f"`{k}` × {v}" for k, v in rounds[-1][0]["answers"].items()) + ".",
        "",
    ]
    write(args.report, lines)


def flash_sale(args):
    (sku, seller), = buyable_skus(1)
    base = f"http://127.0.0.1:{args.port}"
    runs = []
    for seed in range(1, args.runs + 1):
        set_stock([sku], args.stock)
        result = shop_load("flash-sale", "--base", base, "--buyers", str(args.buyers), "--sku", sku,
                           "--seed", str(seed))
        on_hand, reserved = psql(f"SELECT on_hand || ' ' || reserved FROM skus WHERE id = '{sku}'")[0].split()
        result["stock_after"] = (int(on_hand), int(reserved))
        runs.append(result)
        print(f"run {seed}: {result['paid_orders']} paid of {args.buyers} buyers, stock after {on_hand}/{reserved}, "
              f"{result['seconds']:.2f} s, p99 {result['p99_ms']:.0f} ms")
    set_stock([sku], 10_000_000)
    flash = open(os.path.join(HERE, "flash.sql")).read()
    ceiling = pgbench(flash, args.duration, 16, {"sku": sku, "seller": seller})
    exact = all(r["paid_orders"] == args.stock and r["stock_after"] == (0, 0) for r in runs)
    attempts = [r["buyers"] / r["seconds"] for r in runs]
    p99 = sorted(r["p99_ms"] for r in runs)
    lines = header("Flash-sale benchmark", args, "scripts/bench flash-sale") + [
        f"{args.runs} seeded runs; in each, {args.buyers} guest buyers put the same SKU (stock {args.stock}) in their",
        "carts, then all check out and pay at once (launch order shuffled by the seed); like a real client,",
        "a buyer retries a 503 under the same Idempotency-Key (checkout and payment confirmation).",
        "",
        "| run | paid orders | stock after (on hand / reserved) | seconds | checkouts/s | p99 ms (paid) |",
        "|---:|---:|---|---:|---:|---:|",
    ] + [
        f"| {r['seed']} | {r['paid_orders']} | {r['stock_after'][0]} / {r['stock_after'][1]} | {r['seconds']:.2f} "
        f"| {r['buyers'] / r['seconds']:.0f} | {r['p99_ms']:.0f} |" for r in runs
    ] + [
        "",
        f"Exactly {args.stock} paid orders and nothing left on hand or reserved in every run: **{'yes' if exact else 'NO'}**.",
        f"Checkout attempts per second: median {sorted(attempts)[len(attempts) // 2]:.0f}; p99 of paid orders: median "
        f"{p99[len(p99) // 2]:.0f} ms, worst {p99[-1]:.0f} ms.",
        f"pgbench, the reserve-and-create transaction on the one SKU with 16 clients: {ceiling['tps']:.0f}/s "
        f"(avg {ceiling['latency']:.1f} ms); app attempts ÷ ceiling: {sorted(attempts)[len(attempts) // 2] / ceiling['tps']:.2f}.",
        "",
        "Answers of the last run: " + ", ".join(f"`{k}` × {v}" for k, v in runs[-1]["answers"].items()) + ".",
        "",
    ] + [
        f"Run {r['seed']} answers: " + ", ".join(f"`{k}` × {v}" for k, v in r["answers"].items()) + "."
        for r in runs if r["paid_orders"] != args.stock or r["stock_after"] != (0, 0)
    ]
    write(args.report, lines)
    if not exact:
        raise SystemExit("oversold or undersold")


def write(path, lines):
    with open(path, "w") as f:
        f.write("\n".join(lines))
    print(f"wrote {path}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("scenario", choices=["checkout", "flash-sale"])
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--duration", type=int, default=15)
    parser.add_argument("--buyers", type=int, default=8)
    parser.add_argument("--stock", type=int, default=100)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--pairs", type=int, default=100)
    # Enough checkouts for about ten seconds of timing: the ceiling beside
    # them runs for --duration, and three seconds were too short to say much.
    parser.add_argument("--checkouts", type=int, default=5000)
    parser.add_argument("--report", required=True)
    args = parser.parse_args()
    checkout(args) if args.scenario == "checkout" else flash_sale(args)


if __name__ == "__main__":
    main()
