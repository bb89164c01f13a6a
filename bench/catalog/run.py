"""The catalog-browse benchmark: the running stack through nginx (wrk) beside
the same SQL run directly by pgbench, in one run on one machine.

Called by `scripts/bench catalog`; writes a Markdown report."""

import argparse
import json
import os
import platform
import re
import subprocess
import tempfile
import time
import urllib.parse
import urllib.request
from datetime import datetime, timezone

DB = ["-h", "127.0.0.1", "-p", "55432", "-U", "postgres", "marketplace"]
SERVICES = ["service-api", "seller-api", "admin-api", "external-api"]
KEYWORD = "코트"

# The product page's statements besides the product itself, as the
# persistence crate builds them (diesel DSL): options, SKUs, images.
PAGE_STATEMENTS = [
    'SELECT product_options.name, product_options."values" FROM product_options '
    "WHERE product_options.product_id = '{id}' ORDER BY product_options.position ASC",
    "SELECT skus.id, skus.product_id, skus.code, skus.option_values, skus.list_price, skus.sale_price, "
    "skus.sale_starts_at, skus.sale_ends_at, skus.on_hand, skus.reserved, skus.version FROM skus "
    "WHERE skus.product_id = '{id}' ORDER BY skus.created_at ASC, skus.code ASC",
    "SELECT product_images.id, product_images.product_id, product_images.position, product_images.object_key, "
    "product_images.content_type, product_images.size_bytes FROM product_images "
    "WHERE product_images.product_id = ANY(ARRAY['{id}'::uuid]) "
    "ORDER BY product_images.product_id, product_images.position",
]


def get_json(port, path):
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers={"Host": "api.localhost"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)


def statements():
    out = subprocess.run([os.environ["WORKER"], "catalog-sql"], check=True, capture_output=True, text=True).stdout
    return dict(line.split("\t", 1) for line in out.splitlines() if "\t" in line)


def literal(value):
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return "'" + str(value).replace("'", "''") + "'"


def bind(sql, values):
    """Inlines $1..$n (highest first, so $1 never eats $12)."""
    for index in range(len(values), 0, -1):
        sql = sql.replace(f"${index}", literal(values[index - 1]))
    return sql


def wrk(url, seconds, connections):
    threads = min(2, connections)
    out = subprocess.run(
        ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency", "-H", "Host: api.localhost", url],
        check=True, capture_output=True, text=True,
    ).stdout
    def latency(label):
        match = re.search(rf"^\s+{label}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        value, unit = float(match.group(1)), match.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rps": rps, "p50": latency("50"), "p99": latency("99"), "non_2xx": int(errors.group(1)) if errors else 0}


def pgbench(script, seconds, connections):
    with tempfile.NamedTemporaryFile("w", suffix=".sql", delete=False) as f:
        f.write(script)
        path = f.name
    out = subprocess.run(
        [os.environ["PGBENCH"], "-n", "-M", "prepared", f"-c{connections}", f"-j{min(2, connections)}",
         f"-T{seconds}", "-f", path] + DB,
        check=True, capture_output=True, text=True,
        # One plan per statement and connection, as the app's pools run
        # (ADR 0015).
        env={**os.environ, "PGOPTIONS": "-c plan_cache_mode=force_generic_plan"},
    ).stdout
    os.unlink(path)
    tps = float(re.search(r"tps = ([\d.]+) \(without initial connection time\)", out).group(1))
    latency = float(re.search(r"latency average = ([\d.]+) ms", out).group(1))
    return {"tps": tps, "latency": latency}


def rss_mib():
    sizes = {}
    for name in SERVICES:
        pid = open(f".local/dev/services/{name}.pid").read().strip()
        rss_kib = int(subprocess.run(["ps", "-o", "rss=", "-p", pid], capture_output=True, text=True).stdout.strip() or 0)
        sizes[name] = rss_kib / 1024
    return sizes


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--duration", type=int, default=15)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--report", required=True)
    args = parser.parse_args()

    base = f"http://127.0.0.1:{args.port}"
    product = get_json(args.port, "/v1/products?size=1&sort=popular")["items"][0]["id"]
    total = get_json(args.port, "/v1/products?size=1")["total"]
    time.sleep(2)  # let the just-started services settle before the idle reading
    idle_rss = rss_mib()
    sql = statements()
    q = urllib.parse.quote(KEYWORD)
    pattern = f"%{KEYWORD}%"

    scenarios = [
        ("list of 20", f"{base}/v1/products?size=20",
         sql["list"] + ";\n" + sql["count"] + ";\n"),
        ("product page", f"{base}/v1/products/{product}",
         bind(sql["product"], [product]) + ";\n"
         + "".join(s.format(id=product) + ";\n" for s in PAGE_STATEMENTS)),
        (f"search \"{KEYWORD}\"", f"{base}/v1/products?q={q}&size=20",
         bind(sql["search"], [pattern]) + ";\n" + bind(sql["search-count"], [pattern]) + ";\n"),
    ]
    results = []
    for name, url, script in scenarios:
        get_json(args.port, url[len(base):])  # warm up, and fail early on an error
        http = wrk(url, args.duration, args.connections)
        ceiling = pgbench(script, args.duration, args.connections)
        results.append((name, url[len(base):], http, ceiling, script.count(";\n")))
        print(f"{name}: {http['rps']:.0f} req/s (p50 {http['p50']:.2f} ms, p99 {http['p99']:.2f} ms), "
              f"pgbench {ceiling['tps']:.0f}/s, ratio {http['rps'] / ceiling['tps']:.2f}")

    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.processor())
    lines = [
        "# Catalog browse benchmark",
        "",
        f"Produced by `scripts/bench catalog` on {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC, commit `{commit}`:",
        f"{os.cpu_count()} cores ({cpu}), load tool on the same machine, {args.connections} connections,",
        f"{args.duration} s per run, release builds behind nginx (`Host: api.localhost`), demo catalog of {total} listed products.",
        "The ceiling is the same SQL the request runs, sent by pgbench (`-M prepared`, one generic plan per statement: the app's connections run these statements so) straight",
        "to PostgreSQL with the same number of connections; one pgbench transaction = one request's statements.",
        "",
        "| scenario | path | req/s | p50 ms | p99 ms | non-2xx | statements | pgbench /s | app / pgbench |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, path, http, ceiling, count in results:
        lines.append(
            f"| {name} | `{path}` | {http['rps']:.0f} | {http['p50']:.2f} | {http['p99']:.2f} | {http['non_2xx']} | {count} "
            f"| {ceiling['tps']:.0f} | {http['rps'] / ceiling['tps']:.2f} |"
        )
    lines += [
        "",
        "Idle resident memory of each API process (before the load): "
        + ", ".join(f"{name} {mib:.1f} MiB" for name, mib in idle_rss.items()) + ".",
        "",
    ]
    with open(args.report, "w") as f:
        f.write("\n".join(lines))
    print(f"wrote {args.report}")


if __name__ == "__main__":
    main()
