#!/usr/bin/env python3
"""A local stand-in for PortOne's identity verification (V2), for the
development stack.

Speaks the provider's server protocol: GET /identity-verifications/{id}?storeId=...
with `Authorization: PortOne <API secret>`, answering the verification
(`READY`, or `VERIFIED` with `verifiedCustomer`) or `{type, message}`.
It also plays the verification window a shopper would go through: open
GET /verify?identityVerificationId=<id>, pick a birth date, submit; then
call the marketplace's POST /v1/identity-verifications/<id>/result.

Usage: portone.py PORT API_SECRET STORE_ID
"""

import html
import json
import sys
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

PORT, API_SECRET, STORE_ID = int(sys.argv[1]), sys.argv[2], sys.argv[3]
VERIFIED = {}

PAGE = """<!doctype html><meta charset="utf-8"><title>Identity verification (development double)</title>
<h1>Identity verification</h1><p>Verification <code>{id}</code></p>
<form method="post" action="/verify"><input type="hidden" name="identityVerificationId" value="{id}">
<label>Name <input name="name" value="김민지"></label>
<label>Birth date <input type="date" name="birthDate" value="1990-05-17"></label>
<button>Verify</button></form>"""


class Handler(BaseHTTPRequestHandler):
    def reply(self, status, body, content_type="application/json; charset=utf-8"):
        data = body.encode() if isinstance(body, str) else json.dumps(body, ensure_ascii=False).encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        url = urlparse(self.path)
        query = parse_qs(url.query)
        if url.path == "/verify":
            ident = html.escape(query.get("identityVerificationId", [""])[0])
            return self.reply(200, PAGE.format(id=ident), "text/html; charset=utf-8")
        if not url.path.startswith("/identity-verifications/"):
            return self.reply(404, {"type": "NOT_FOUND", "message": url.path})
        if self.headers.get("Authorization", "") != f"PortOne {API_SECRET}":
            return self.reply(401, {"type": "UNAUTHORIZED", "message": "invalid API secret"})
        if query.get("storeId", [""])[0] != STORE_ID:
            return self.reply(403, {"type": "FORBIDDEN", "message": "the store does not belong to this secret"})
        ident = url.path.rsplit("/", 1)[1]
        now = datetime.now(timezone.utc).isoformat()
        body = {"id": ident, "status": "READY", "requestedAt": now, "updatedAt": now,
                "statusChangedAt": now, "version": "V2"}
        customer = VERIFIED.get(ident)
        if customer:
            body.update(status="VERIFIED", verifiedCustomer=customer, verifiedAt=now,
                        pgTxId=f"double-{ident}", pgRawResponse="{}")
        self.reply(200, body)

    def do_POST(self):
        if urlparse(self.path).path != "/verify":
            return self.reply(404, {"type": "NOT_FOUND", "message": self.path})
        form = parse_qs(self.rfile.read(int(self.headers.get("Content-Length", 0))).decode())
        ident = form.get("identityVerificationId", [""])[0]
        VERIFIED[ident] = {"name": form.get("name", [""])[0], "birthDate": form.get("birthDate", [""])[0],
                           "isForeigner": False, "ci": f"ci-{ident}", "di": f"di-{ident}"}
        self.reply(200, f"<p>Verified {html.escape(ident)}. Return to the shop.</p>", "text/html; charset=utf-8")

    def log_message(self, *args):
        pass


ThreadingHTTPServer(("127.0.0.1", PORT), Handler).serve_forever()
