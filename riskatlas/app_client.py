"""A reader of the app at protocol level: Streamlit's own protobuf messages over its websocket.

Two users: the load benchmark (bench.protocol_load), where a browser per simulated reader would
cost hundreds of MB and a core and AppTest would run the script in the load generator's own
process, not the server's; and the server's warm-up (riskatlas.warmup), which asks a fresh
app process for the views a story links to before readers arrive. This client does what the browser's
frontend does on the wire: it loads the page (for the cookies: Streamlit's XSRF cookie and the
proxy's sticky cookie), opens `/_stcore/stream`, asks for a script run with the page's query
string (BackMsg.rerun_script), and reads ForwardMsgs until `script_finished`. A filter change is
a rerun with another query string, as when a reader follows a link: the app reads its filters
from the URL. The time from request to `script_finished` is what the reader waits for the page.
"""

from __future__ import annotations

import asyncio
import time
import urllib.request
from dataclasses import dataclass, field
from http.cookiejar import CookieJar

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

FINISHED_OK = ("FINISHED_SUCCESSFULLY", "FINISHED_FRAGMENT_RUN_SUCCESSFULLY")


class RerunError(RuntimeError):
    """A run did not finish successfully (exception in the page, closed socket, timeout)."""


@dataclass
class Reader:
    """One simulated reader: its cookies and its websocket to the app (through the proxy)."""

    base: str  # http://127.0.0.1:PORT
    timeout: float = 60.0
    cookies: str = ""
    ws: object | None = None
    session_id: str | None = None
    messages: int = 0
    bytes_in: int = 0
    errors: list[str] = field(default_factory=list)
    # hashes of cacheable messages received, sent back with each rerun as the browser does, so
    # the server answers a message the reader already has with a short reference
    cached: set[str] = field(default_factory=set)

    def _load_page(self) -> None:
        jar = CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        with opener.open(self.base + "/", timeout=self.timeout) as resp:  # noqa: S310 - loopback
            resp.read()
        self.cookies = "; ".join(f"{c.name}={c.value}" for c in jar)

    async def connect(self) -> None:
        """Load the page (cookies), then open the websocket as the frontend does."""
        await asyncio.to_thread(self._load_page)
        uri = self.base.replace("http", "ws", 1) + "/_stcore/stream"
        protocols = ["streamlit"] + ([self.session_id] if self.session_id else [])
        self.ws = await websockets.connect(
            uri,
            subprotocols=protocols,
            additional_headers={"Cookie": self.cookies} if self.cookies else None,
            origin=self.base,
            max_size=None,
            open_timeout=self.timeout,
        )

    async def rerun(self, query_string: str, page_name: str = "") -> float:
        """Ask for a run of the page with this query string; seconds until it finished."""
        if self.ws is None:
            await self.connect()
        msg = BackMsg()
        msg.rerun_script.query_string = query_string
        msg.rerun_script.page_name = page_name
        msg.rerun_script.cached_message_hashes.extend(sorted(self.cached))
        start = time.perf_counter()
        try:
            await self.ws.send(msg.SerializeToString())
        except (websockets.ConnectionClosed, OSError) as exc:  # died while the reader thought
            self.ws = None
            raise RerunError(f"connection closed: {exc}") from exc
        deadline = start + self.timeout
        while True:
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                raise RerunError(f"no script_finished within {self.timeout:.0f} s")
            try:
                raw = await asyncio.wait_for(self.ws.recv(), remaining)
            except (websockets.ConnectionClosed, OSError) as exc:
                self.ws = None
                raise RerunError(f"connection closed: {exc}") from exc
            self.messages += 1
            self.bytes_in += len(raw)
            fwd = ForwardMsg()
            fwd.ParseFromString(raw)
            kind = fwd.WhichOneof("type")
            if fwd.metadata.cacheable and fwd.hash and kind != "ref_hash":
                self.cached.add(fwd.hash)
            if kind == "new_session":
                self.session_id = fwd.new_session.initialize.session_id or self.session_id
            elif kind == "delta" and fwd.delta.new_element.WhichOneof("type") == "exception":
                raise RerunError("the page raised: " + fwd.delta.new_element.exception.message)
            elif kind == "script_finished":
                status = ForwardMsg.ScriptFinishedStatus.Name(fwd.script_finished)
                if status in FINISHED_OK:
                    return time.perf_counter() - start
                if status != "FINISHED_EARLY_FOR_RERUN":
                    raise RerunError(f"script finished as {status}")

    async def reconnect(self) -> None:
        """After the replica went away: a fresh websocket (the browser does the same)."""
        await self.close()
        self.cached.clear()  # a new server process has sent this reader nothing yet
        await self.connect()

    async def close(self) -> None:
        if self.ws is not None:
            try:
                await self.ws.close()
            except Exception:  # noqa: BLE001 - closing a dead socket
                pass
            self.ws = None
