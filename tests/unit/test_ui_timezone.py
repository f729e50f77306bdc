"""The UI opens in Asia/Ho_Chi_Minh unless the person chose another zone (danvan/ui_timezone.py)."""

from __future__ import annotations

import asyncio

import pytest

from danvan.ui_timezone import DefaultTimezone


def _serve(content_type: bytes, body: bytes, parts: int = 1) -> tuple[dict, bytes]:
    async def app(scope, receive, send):
        await send({"type": "http.response.start", "status": 200, "headers": [
            (b"content-type", content_type), (b"content-length", str(len(body)).encode())]})  # fmt: skip
        step = -(-len(body) // parts)
        for i in range(0, len(body), step):
            await send(
                {"type": "http.response.body", "body": body[i : i + step], "more_body": i + step < len(body)}
            )

    sent = []

    async def send(message):
        sent.append(message)

    asyncio.run(DefaultTimezone(app)({"type": "http"}, None, send))
    return dict(sent[0]["headers"]), b"".join(m.get("body", b"") for m in sent[1:])


@pytest.mark.parametrize("parts", [1, 3])
def test_the_ui_page_sets_the_zone_only_when_the_browser_has_none(parts):
    headers, body = _serve(
        b"text/html; charset=utf-8", b"<html><head><title>A</title></head><body></body></html>", parts
    )
    script = (
        b"<script>try{if(!localStorage.getItem('timezone'))"
        b'localStorage.setItem(\'timezone\',"\\"Asia/Ho_Chi_Minh\\"")}catch(e){}</script></head>'
    )
    assert script in body
    assert int(headers[b"content-length"]) == len(body)


def test_other_responses_pass_untouched():
    headers, body = _serve(b"application/json", b'{"head": "</head>"}', 2)
    assert body == b'{"head": "</head>"}' and headers[b"content-length"] == b"19"
