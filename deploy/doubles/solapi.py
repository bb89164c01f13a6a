#!/usr/bin/env python3
"""A local stand-in for the Solapi SMS API, for the development stack.

Speaks the provider's protocol: POST /messages/v4/send-many/detail with an
`HMAC-SHA256 apiKey=..., date=..., salt=..., signature=...` Authorization
header (signature = hex HMAC-SHA256(secret, date + salt)); answers with the
group summary or `{errorCode, errorMessage}`. Accepted messages are listed at
GET /messages, newest last, so a developer can read the codes sent.

Usage: solapi.py PORT API_KEY API_SECRET
"""

import hashlib
import hmac
import json
import sys
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PORT, API_KEY, API_SECRET = int(sys.argv[1]), sys.argv[2], sys.argv[3]
SENT = []


def refusal(code, message, status=401):
    return status, {"errorCode": code, "errorMessage": message}


def check_authorization(header):
    if not header.startswith("HMAC-SHA256 "):
        return refusal("InvalidAuthorization", "unsupported authorization scheme")
    fields = dict(part.split("=", 1) for part in header[len("HMAC-SHA256 "):].split(", ") if "=" in part)
    if fields.get("apiKey") != API_KEY:
        return refusal("InvalidApiKey", "unknown API key")
    try:
        sent_at = datetime.fromisoformat(fields.get("date", "").replace("Z", "+00:00"))
    except ValueError:
        return refusal("InvalidDate", "date is not RFC 3339")
    if abs((datetime.now(timezone.utc) - sent_at).total_seconds()) > 900:
        return refusal("RequestTimeTooSkewed", "date is more than 15 minutes off")
    expected = hmac.new(API_SECRET.encode(), (fields["date"] + fields.get("salt", "")).encode(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, fields.get("signature", "")):
        return refusal("SignatureDoesNotMatch", "signature does not match")
    return None


class Handler(BaseHTTPRequestHandler):
    def reply(self, status, body):
        data = json.dumps(body, ensure_ascii=False).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        if self.path == "/messages":
            return self.reply(200, SENT)
        self.reply(404, {"errorCode": "NotFound", "errorMessage": self.path})

    def do_POST(self):
        if self.path != "/messages/v4/send-many/detail":
            return self.reply(404, {"errorCode": "NotFound", "errorMessage": self.path})
        refused = check_authorization(self.headers.get("Authorization", ""))
        if refused:
            return self.reply(*refused)
        try:
            messages = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))["messages"]
        except (ValueError, KeyError):
            return self.reply(*refusal("ValidationError", "messages is required", 400))
        for message in messages:
            SENT.append({"to": message.get("to"), "from": message.get("from"), "text": message.get("text"),
                         "at": datetime.now(timezone.utc).isoformat()})
        count = len(messages)
        self.reply(200, {"groupInfo": {"count": {"total": count, "registeredFailed": 0, "registeredSuccess": count}},
                         "failedMessageList": [], "status": "SENDING"})

    def log_message(self, *args):
        pass


ThreadingHTTPServer(("127.0.0.1", PORT), Handler).serve_forever()
