"""The UI's default time zone: Asia/Ho_Chi_Minh, unless the person picked another.

Airflow 3.3's UI shows times in the browser's time zone (it dropped ``default_ui_timezone``) and
remembers a choice made in its user menu in the browser's ``localStorage["timezone"]``. On a
server or a browser in UTC, the 01:00 rollup reads 18:00. This ASGI middleware, added to the API
server by the danvan plugin, puts one line into the UI's HTML pages that sets that key to
``DEFAULT`` when the browser holds none, so the UI opens in Vietnam's time and a person's own
choice still wins.
"""

from __future__ import annotations

import json

DEFAULT = "Asia/Ho_Chi_Minh"


def snippet(tz: str) -> bytes:
    value = json.dumps(json.dumps(tz))  # localStorage holds the JSON of the UI's value
    return (
        "<script>try{if(!localStorage.getItem('timezone'))"
        f"localStorage.setItem('timezone',{value})}}catch(e){{}}</script>"
    ).encode()


class DefaultTimezone:
    """Insert :func:`snippet` before ``</head>`` of every ``text/html`` response."""

    def __init__(self, app, tz: str = DEFAULT):
        self.app = app
        self.script = snippet(tz)

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        start: dict = {}
        chunks: list[bytes] = []

        async def wrapped(message):
            if message["type"] == "http.response.start":
                headers = dict(message.get("headers") or [])
                if not headers.get(b"content-type", b"").startswith(b"text/html"):
                    start["pass"] = True
                    return await send(message)
                start["message"] = message
                return None
            if start.get("pass"):
                return await send(message)
            chunks.append(message.get("body", b""))
            if message.get("more_body"):
                return None
            body = b"".join(chunks).replace(b"</head>", self.script + b"</head>", 1)
            head = start["message"]
            headers = [(k, v) for k, v in head.get("headers") or [] if k.lower() != b"content-length"]
            headers.append((b"content-length", str(len(body)).encode()))
            await send({**head, "headers": headers})
            return await send({"type": "http.response.body", "body": body})

        return await self.app(scope, receive, wrapped)
