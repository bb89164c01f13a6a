"""The settlement benchmark: accrue and batch the confirmed product orders
of many vendors through the app's own settlement code (`settlement-load`),
then every vendor's statement; each beside pgbench doing the same inserts
and reads straight to PostgreSQL, in one run on one machine.

Called by `scripts/bench settlement`; writes a Markdown report."""

import argparse
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
from datetime import datetime, timedelta, timezone

DB = ["-h", "127.0.0.1", "-p", "55432", "-U", "postgres", "marketplace"]
HERE = os.path.dirname(os.path.abspath(__file__))
SEOUL = timezone(timedelta(hours=9))


def psql(sql=None, file=None, variables=None):
    args = ["psql", "-XAtq", "-v", "ON_ERROR_STOP=1"]
    for name, value in (variables or {}).items():
        args += ["-v", f"{name}={value}"]
    args += ["-f", file] if file else ["-c", sql]
    done = subprocess.run(args + DB, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"psql failed: {done.stderr.strip()}")
    return [line for line in done.stdout.splitlines() if line]


def load(*args):
    out = subprocess.run([os.environ["SETTLEMENT_LOAD"], *args], check=True, capture_output=True,
                         text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def pgbench(script, clients, transactions, variables):
    with tempfile.NamedTemporaryFile("w", suffix=".sql", delete=False) as f:
        f.write(script)
        path = f.name
    defines = [arg for name, value in variables.items() for arg in ("-D", f"{name}={value}")]
    out = subprocess.run(
        [os.environ["PGBENCH"], "-n", "-M", "prepared", f"-c{clients}", f"-j{min(2, clients)}",
         f"-t{transactions}", *defines, "-f", path] + DB,
        check=True, capture_output=True, text=True,
        # One plan per statement and connection, as the app's pools run
        # (ADR 0015).
        env={**os.environ, "PGOPTIONS": "-c plan_cache_mode=force_generic_plan"},
    ).stdout
    os.unlink(path)
    tps = float(re.search(r"tps = ([\d.]+) \(without initial connection time\)", out).group(1))
    latency = float(re.search(r"latency average = ([\d.]+) ms", out).group(1))
    return {"tps": tps, "latency": latency}


def month_bounds():
    """This month in Korea, as statements cut it."""
    now = datetime.now(SEOUL)
    first = now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    following = (first + timedelta(days=32)).replace(day=1)
    return first.isoformat(), following.isoformat()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--vendors", type=int, default=1000)
    parser.add_argument("--orders", type=int, default=25_000, help="purchase orders of four product orders")
    parser.add_argument("--tasks", type=int, default=4)
    parser.add_argument("--report", required=True)
    args = parser.parse_args()

    psql(file=os.path.join(HERE, "seed.sql"), variables={"vendors": args.vendors, "orders": args.orders})
    lines = int(psql("SELECT count(*) FROM purchase_confirmations")[0])
    print(f"seeded {args.orders} orders, {lines} confirmed product orders, {args.vendors} vendors")

    accrued = load("accrue", "--tasks", str(args.tasks))
    print(f"accrue: {accrued['entries']} entries in {accrued['seconds']:.1f} s, {accrued['entries_per_second']:.0f}/s")
    swept = load("sweep")
    print(f"sweep: {swept['batches']} batches claiming {swept['entries']} entries in {swept['seconds']:.1f} s")
    stated = load("statements")
    print(f"statements: {stated['statements']}, {stated['ms_mean']:.2f} ms each (p95 {stated['ms_p95']:.2f})")

    first, following = month_bounds()
    statement_ceiling = pgbench(open(os.path.join(HERE, "statement.sql")).read(), 1, stated["statements"],
                                {"vendors": args.vendors, "from": first, "until": following})
    # The accrual ceiling writes beside the seeded orders, after every
    # app measurement, so its entries weigh on none of them.
    psql("CREATE SCHEMA IF NOT EXISTS bench; DROP TABLE IF EXISTS bench.ceiling_orders; "
         "CREATE TABLE bench.ceiling_orders AS "
         "SELECT row_number() OVER (ORDER BY po) AS k, po, seller, lines[1] AS line1, lines[2] AS line2, "
         "lines[3] AS line3, lines[4] AS line4 FROM ("
         "SELECT purchase_order_id AS po, seller_id AS seller, array_agg(product_order_id) AS lines "
         "FROM purchase_confirmations GROUP BY 1, 2 HAVING count(*) = 4) o; "
         "CREATE UNIQUE INDEX ON bench.ceiling_orders (k); ANALYZE bench.ceiling_orders")
    ceiling_orders = int(psql("SELECT count(*) FROM bench.ceiling_orders")[0])
    per_client = max(1, accrued["orders"] // args.tasks)
    accrue_ceiling = pgbench(open(os.path.join(HERE, "accrue.sql")).read(), args.tasks, per_client,
                             {"orders": ceiling_orders})
    entries_per_order = accrued["entries"] / max(1, accrued["orders"])
    ceiling_entries = accrue_ceiling["tps"] * entries_per_order
    print(f"pgbench: accrual {ceiling_entries:.0f} entries/s, statement {statement_ceiling['latency']:.2f} ms")

    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")),
               platform.processor())
    report = [
        "# Settlement benchmark",
        "",
        f"Produced by `scripts/bench settlement` on {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC, commit `{commit}`:",
        f"{os.cpu_count()} cores ({cpu}), release build of `settlement-load` (the app's settlement code on its own",
        f"pool) on the same machine as PostgreSQL. Seeded by `bench/settlement/seed.sql`: {args.vendors} vendors,",
        f"{args.orders} purchase orders of four confirmed product orders each ({lines} in all), with both coupon",
        "fundings and a frozen 10 % commission. The ceilings are pgbench (`-M prepared`, one generic plan per",
        "statement) doing the same inserts (`accrue.sql`: one order's five entries and their 34 lines per",
        "transaction) and the same reads (`statement.sql`) straight to PostgreSQL.",
        "",
        "| step | work | time | rate | pgbench ceiling | app / pgbench |",
        "|---|---|---:|---:|---:|---:|",
        f"| accrue ({args.tasks} at a time) | {accrued['orders']} orders → {accrued['entries']} entries "
        f"| {accrued['seconds']:.1f} s | {accrued['entries_per_second']:.0f} entries/s "
        f"| {ceiling_entries:.0f} entries/s | {accrued['entries_per_second'] / ceiling_entries:.2f} |",
        f"| batch (one sweep) | {swept['batches']} batches claim {swept['entries']} entries "
        f"| {swept['seconds']:.1f} s | {swept['entries_per_second']:.0f} entries/s "
        f"| {ceiling_entries:.0f} entries/s (inserts) | {swept['entries_per_second'] / ceiling_entries:.2f} |",
        f"| statements (one at a time) | {stated['statements']} vendors, {stated['csv_lines']} CSV lines "
        f"| {stated['ms_mean']:.2f} ms each (p95 {stated['ms_p95']:.2f}) | {1000 / stated['ms_mean']:.0f}/s "
        f"| {statement_ceiling['latency']:.2f} ms each | {statement_ceiling['latency'] / stated['ms_mean']:.2f} |",
        "",
        "A ratio is the app's rate over the ceiling's (for statements, the ceiling's time over the app's): 1.00",
        "would be the app adding nothing to what PostgreSQL does for the same rows.",
        "",
    ]
    with open(args.report, "w") as f:
        f.write("\n".join(report))
    print(f"wrote {args.report}")


if __name__ == "__main__":
    main()
