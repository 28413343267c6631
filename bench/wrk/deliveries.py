"""Write N distinct, signed Events-API deliveries for wrk's ingest.lua: one line each, signature TAB
timestamp TAB body. Signed now, so use them within FEEDBACKLOOP_WEBHOOK_MAX_SKEW (300 s).

    python bench/wrk/deliveries.py SECRET N OUT
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import sys
import uuid
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from loadgen import FIXTURE  # noqa: E402  (the same solved fixture the asyncio generator sends)


def main(secret: str, count: int, out: Path) -> None:
    template = json.loads(FIXTURE.read_text())
    stamp = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    run = uuid.uuid4().hex[:8]
    with out.open("w") as lines:
        for index in range(count):
            template["id"] = f"wrk-{run}-{index}"
            template["subject"] = f"zen:ticket:{100000 + index}"
            template["detail"]["id"] = str(100000 + index)
            body = json.dumps(template, separators=(",", ":"))
            mac = hmac.new(secret.encode(), stamp.encode() + body.encode(), hashlib.sha256).digest()
            lines.write(f"{base64.b64encode(mac).decode()}\t{stamp}\t{body}\n")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), Path(sys.argv[3]))
