"""API tokens (admin) over ``/api/v1/tokens``."""

from __future__ import annotations

import urllib.parse
from typing import List

from ._http import API, Transport
from .models import Token

_BASE = API + "/tokens"


class Tokens:
    """List, create and revoke API tokens; needs an admin token."""

    def __init__(self, transport: Transport) -> None:
        self._t = transport

    def list(self) -> List[Token]:
        """Every token's record, revoked ones included; never their secrets."""
        return [Token.from_json(t) for t in self._t.json("GET", _BASE).get("tokens") or []]

    def create(self, name: str, role: str) -> Token:
        """Creates a token with role ``viewer``, ``operator`` or ``admin``; ``token`` holds its secret, shown only now."""
        return Token.from_json(self._t.json("POST", _BASE, body={"name": name, "role": role}))

    def revoke(self, name_or_id: str) -> Token:
        """Revokes a token by name or id; the next request with it is refused, on every server of the store."""
        return Token.from_json(self._t.json("DELETE", f"{_BASE}/{urllib.parse.quote(name_or_id, safe='')}"))
