"""gunicorn's gthread worker, reading each request's head in its event loop before a thread takes it.

A client that opens a connection and sends its headers slowly (slowloris, or a broken proxy)
holds a gthread thread for as long as it keeps sending: gunicorn 27 defers a connection that sent
nothing, but one byte is enough to take a thread, which then blocks reading the rest. With four
threads per worker, a handful of such sockets stop every signed Zendesk delivery.

`HeadFirstWorker` accepts a connection into the worker's event loop instead and collects the
request head there, without blocking, until the blank line that ends it. Only a complete head goes
to a thread (the bytes put back in front of gunicorn's parser); a head not complete within
`FEEDBACKLOOP_HEADER_TIMEOUT` seconds (default 10) is closed. The same goes for each next request on
a kept-alive connection. Bodies are small here (webhooks, forms) and are read by the thread as before.

It leans on gthread's internals (`TConn`, `enqueue_req`, `murder_pending`, the poller), so the
`postgres` extra pins gunicorn to the 27 series, and `tests/test_serve_process.py` runs it. TLS and
HTTP/2 prior knowledge need the raw socket first; with either configured it behaves as gthread.
"""

from __future__ import annotations

import errno
import os
import selectors
import time
from collections import deque
from functools import partial
from typing import Any

from gunicorn.http2 import negotiation
from gunicorn.workers.gthread import TConn, ThreadWorker

#: The end of a request head, and the most a head may hold before it goes to gunicorn's parser
#: (which answers an oversized head with its own 431/400).
END_OF_HEAD = b"\r\n\r\n"
MAX_HEAD = 64 * 1024


def header_timeout() -> float:
    """Seconds a client has to send its whole request head (FEEDBACKLOOP_HEADER_TIMEOUT)."""
    try:
        value = float(os.environ.get("FEEDBACKLOOP_HEADER_TIMEOUT", "10"))
    except ValueError:
        value = 10.0
    return value if value > 0 else 10.0


class HeadFirstWorker(ThreadWorker):  # type: ignore[misc]
    """gthread, with request heads collected in the event loop (see the module docstring)."""

    def init_process(self) -> None:
        self.heads: deque[Any] = deque()
        self.head_timeout = header_timeout()
        super().init_process()

    def accept(self, listener: Any) -> None:
        if self.cfg.is_ssl:
            super().accept(listener)
            return
        try:
            client_sock, client_addr = listener.accept()
        except OSError as exc:
            if exc.errno not in (errno.EAGAIN, errno.ECONNABORTED, errno.EWOULDBLOCK):
                raise
            return
        self.nr_conns += 1
        conn = TConn(self.cfg, client_sock, client_addr, listener.getsockname())
        if negotiation.prior_knowledge_allowed(self.cfg, client_addr):
            client_sock.setblocking(True)
            self.enqueue_req(conn)
            return
        client_sock.setblocking(False)
        self._await_head(conn)

    def on_client_socket_readable(self, conn: Any, client: Any) -> None:
        """A kept-alive connection has its next request coming: collect that head in the loop too."""
        if self.cfg.is_ssl:
            super().on_client_socket_readable(conn, client)
            return
        self.poller.unregister(client)
        self.keepalived_conns.remove(conn)
        self._await_head(conn, readable=True)

    def _await_head(self, conn: Any, *, readable: bool = False) -> None:
        """Collect `conn`'s next request head in the loop. A kept-alive socket the poller has just found
        `readable` is read at once: the next head is usually all there, and reading it now saves
        registering the socket again and a turn of the loop for every request."""
        conn.head = bytearray()
        conn.timeout = time.monotonic() + self.head_timeout
        self.heads.append(conn)
        if readable and self._read_head(conn, conn.sock, registered=False):
            return
        self.poller.register(conn.sock, selectors.EVENT_READ, partial(self.on_head_readable, conn))

    def on_head_readable(self, conn: Any, client: Any) -> None:
        """More of a request head arrived: keep it, or hand the complete head to a thread."""
        self._read_head(conn, client, registered=True)

    def _read_head(self, conn: Any, client: Any, *, registered: bool) -> bool:
        """Read what `client` has sent; False while the head is not complete, True once the connection
        has left this stage (its head handed to a thread, or the connection closed)."""
        try:
            chunk = client.recv(MAX_HEAD)
        except (BlockingIOError, InterruptedError):
            return False
        except OSError:
            chunk = b""
        if chunk:
            conn.head += chunk
            if END_OF_HEAD not in conn.head and len(conn.head) < MAX_HEAD:
                return False
        self._forget_head(conn, registered=registered)
        if not chunk:  # the client went away before finishing its head
            self.nr_conns -= 1
            conn.close()
            return True
        conn.data_ready = True
        conn.sock.setblocking(True)
        conn.init()  # a new connection's parser is made here (a kept-alive one has its own)
        conn.parser.unreader.unread(bytes(conn.head))  # the head goes back in front of the parser
        self.enqueue_req(conn)
        return True

    def _forget_head(self, conn: Any, *, registered: bool = True) -> None:
        if registered:
            try:
                self.poller.unregister(conn.sock)
            except (OSError, KeyError, ValueError):
                pass
        try:
            self.heads.remove(conn)
        except ValueError:
            pass

    def murder_pending(self) -> None:
        """gthread's own reaping, and heads not complete in time: closed without an answer."""
        super().murder_pending()
        now = time.monotonic()
        while self.heads and self.heads[0].timeout <= now:
            conn = self.heads.popleft()
            try:
                self.poller.unregister(conn.sock)
            except (OSError, KeyError, ValueError):
                pass
            self.nr_conns -= 1
            conn.close()
