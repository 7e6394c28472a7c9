"""Errors, the cluster token and JSON over HTTP: what the Manager's proxies and the Pool share."""
import base64
import hashlib
import hmac
import http.client
import json
import threading
import urllib.parse

class ForkliftError(Exception):
    """The coordinator refused a request: status, error code and its message (what to change)."""

    def __init__(self, status, code, message, body=None):
        super().__init__("%s %s: %s" % (status, code, message))
        self.status, self.code, self.body = status, code, body or {}


class StaleFence(ForkliftError):
    """A fenced write was refused: a newer holder of its lock exists, so what this one read is stale."""


def _fenced(call):
    """Runs call(), raising StaleFence for the coordinator's 409 stale_fence."""
    try:
        return call()
    except ForkliftError as e:
        if e.code == "stale_fence":
            raise StaleFence(e.status, e.code, e.body.get("message"), e.body) from None
        raise


class RemoteError(Exception):
    """A task failed on a worker: the remote exception's type and message."""

    def __init__(self, error):
        error = error or {}
        super().__init__("%s: %s" % (error.get("type"), error.get("message")))
        self.type, self.error = error.get("type"), error


def cluster_token(authkey):
    """The cluster token of an authkey (the first line of an authkey file, or FORKLIFT_AUTHKEY)."""
    secret = authkey.strip().splitlines()[0].strip().encode()
    key_id = hashlib.sha256(secret).hexdigest()[:8]
    claims = '{"cluster":true,"client":null,"queues":["*"],"objects":["*"],"readOnly":false}'
    payload = base64.urlsafe_b64encode(claims.encode()).rstrip(b"=").decode()
    exp = "9223372036854775807"
    head = "5:token|13:forklift-http|%s|%s|" % (key_id, exp)
    mac = hmac.new(secret, (head + payload).encode(), hashlib.sha256).digest()
    return "fl1.%s.%s.%s.%s" % (key_id, exp, base64.urlsafe_b64encode(mac).rstrip(b"=").decode(), payload)


class _Http:
    """JSON over one kept-alive connection per thread."""

    def __init__(self, url, authkey=None, token=None, client=None):
        if token is None and authkey is None:
            raise ValueError("give authkey= (the cluster's) or token= (forklift token create)")
        parts = urllib.parse.urlsplit(url)
        self.secure, self.host, self.port = parts.scheme == "https", parts.hostname, parts.port
        self.token = token or cluster_token(authkey)
        self.client = client
        self.local = threading.local()

    def _conn(self, timeout):
        c = getattr(self.local, "conn", None)
        if c is None:
            kind = http.client.HTTPSConnection if self.secure else http.client.HTTPConnection
            c = self.local.conn = kind(self.host, self.port, timeout=timeout)
        c.timeout = timeout
        if c.sock is not None:
            c.sock.settimeout(timeout)
        return c

    def call(self, method, path, body=None, wait=0.0):
        headers = {"Authorization": "Bearer " + self.token, "Content-Type": "application/json"}
        if self.client:
            headers["Forklift-Client"] = self.client
        data = None if body is None else json.dumps(body, default=_ref).encode()
        for attempt in (0, 1):
            conn = self._conn(wait + 30)
            try:
                conn.request(method, path, body=data, headers=headers)
                r = conn.getresponse()
                raw = r.read()
                break
            except (http.client.HTTPException, ConnectionError):
                conn.close()
                self.local.conn = None
                if attempt:
                    raise
        answer = json.loads(raw) if raw else {}
        if r.status >= 400:
            raise ForkliftError(r.status, answer.get("error"), answer.get("message"), answer)
        return r.status, answer


def _ref(value):
    """A Manager proxy inside a task's argument travels as its reference, as a Java proxy does."""
    ref = getattr(value, "ref", None)
    if ref is None:
        raise TypeError("%r is not JSON (values are JSON; Manager proxies travel as references)" % (value,))
    return ref
