"""Loads an approved Privet view into the kernel as a pandas DataFrame.

The cell that "Use in notebook" inserts calls :func:`load_view` with the gateway's Parquet URL of
the view. Why the environment variable: the token must never be written into a notebook, so the
extension hands it to the kernel by a silent execution (no cell, no history, no output) as
``PRIVET_TOKEN``, and it is read here, never passed as a parameter and never printed. It is sent
only to the gateway it came from (``PRIVET_GATEWAY``, set with it), never to another host a pasted
or edited cell names, and not along a redirect. Every error says what happened and how to fix it,
without the token and without urllib's traceback.
"""

from __future__ import annotations

import io
import json
import os
import urllib.error
import urllib.parse
import urllib.request
from typing import TYPE_CHECKING

# pandas is imported when a view is loaded, so that `import privet_jupyter` stays cheap.
if TYPE_CHECKING:
    import pandas

TOKEN_ENV = "PRIVET_TOKEN"
"""The kernel environment variable holding the gateway token (TOKEN_ENV of kernel-token.ts)."""

GATEWAY_ENV = "PRIVET_GATEWAY"
"""The kernel environment variable holding the token's gateway base URL (GATEWAY_ENV)."""

NO_GATEWAY_MESSAGE = (
    "Privet: this kernel's token came without the address of its gateway (an older Privet"
    " extension gave it). Fix: click 'Use in notebook' on the view again, then re-run this cell"
)
"""The error when the kernel holds a token but not its gateway."""

SIGN_IN_AGAIN_FIX = (
    "sign in again in the Privet panel, then re-run this cell"
    " (if it is refused again, click 'Use in notebook' on the view)"
)
"""What a load refused with HTTP 401 (token expired or unknown) tells the user to do.

The gateway's own fix ("ask a steward for a new token") is for the token's owner; in JupyterLab,
signing in again in the Privet panel gives the kernel the new token.
"""

NO_TOKEN_MESSAGE = (
    "Privet: this kernel has no gateway token (you signed out of Privet, switched gateways, or"
    " restarted the kernel). Fix: sign in to Privet in the JupyterLab Privet panel, then click"
    " 'Use in notebook' on the view."
)
"""The error when the kernel holds no token."""


def _check_url_names_view(url: str, name: str) -> None:
    """Raises ValueError unless ``url`` is the ``…/views/<name>/parquet`` URL of view ``name``.

    Both come from "Use in notebook"; they differ only in a cell edited in part, which would
    otherwise load one view under the name of another.
    """
    segments = urllib.parse.urlsplit(url).path.split("/")
    if segments[-3:-2] != ["views"] or segments[-1:] != ["parquet"]:
        raise ValueError(
            f"Privet: {url!r} is not a gateway's Parquet URL of a view."
            " Fix: click 'Use in notebook' on the view to insert a new loading cell"
        )
    if urllib.parse.unquote(segments[-2]) != name:
        raise ValueError(
            f"Privet: the URL loads the view {urllib.parse.unquote(segments[-2])!r}, not {name!r}."
            " Fix: click 'Use in notebook' on the view you want to insert its own loading cell"
        )


def _origin(url: str) -> tuple[str, str, int | None]:
    """The scheme, host and port of ``url`` (the port spelled out when it is the default)."""
    parts = urllib.parse.urlsplit(url)
    scheme = parts.scheme.lower()
    port = parts.port or {"http": 80, "https": 443}.get(scheme)
    return scheme, (parts.hostname or "").lower(), port


def _check_url_on_gateway(url: str, gateway: str) -> None:
    """Raises ValueError unless ``url`` is under ``gateway``, the base URL the token is for."""
    base = urllib.parse.urlsplit(gateway).path.rstrip("/") + "/"
    if _origin(url) != _origin(gateway) or not urllib.parse.urlsplit(url).path.startswith(base):
        raise ValueError(
            f"Privet: {url!r} is not on the gateway this kernel's token is for ({gateway}), so the"
            " token is not sent there. Fix: click 'Use in notebook' on the view to insert a new"
            " loading cell"
        )


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Follows no redirect: the gateway sends none, and the token must not go to another URL."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
        return None


def _refusal(error: urllib.error.HTTPError) -> tuple[str, str]:
    """The gateway's refusal as (message, fix), from its JSON body ``{"error": {...}}``."""
    try:
        body = json.load(error)["error"]
        message, fix = str(body["message"]), str(body["fix"])
    except Exception:  # not the gateway's JSON (a proxy, a crash): say what is known
        message = f"the gateway answered HTTP {error.code}"
        fix = "check that the gateway is running and sign in again"
    if error.code == 401:
        fix = SIGN_IN_AGAIN_FIX
    return message, fix


def load_view(url: str, name: str) -> pandas.DataFrame:
    """Downloads the view ``name`` from its gateway Parquet ``url`` and answers it as a DataFrame.

    The bearer token is read from the ``PRIVET_TOKEN`` environment variable of the kernel (set by
    "Use in notebook" and kept in step with the Privet panel's sign-in). Raises RuntimeError
    saying what happened and how to fix it when the kernel has no token (or not its gateway), the
    gateway refuses the download (its own message and fix; for HTTP 401, to sign in again; a
    redirect is not followed) or cannot be reached, and ValueError, before any download, when
    ``url`` is not the Parquet URL of view ``name`` or not on the token's gateway.
    """
    _check_url_names_view(url, name)
    try:
        import pandas as pd
    except ModuleNotFoundError as error:
        if error.name != "pandas":
            raise
        raise RuntimeError(
            "Privet: this kernel's Python has no pandas, which loads the view. Fix: use the kernel"
            " of JupyterLab's own environment, or pip install pandas pyarrow into this kernel's"
            " environment"
        ) from None

    token = os.environ.get(TOKEN_ENV)
    if not token:
        raise RuntimeError(NO_TOKEN_MESSAGE)
    gateway = os.environ.get(GATEWAY_ENV)
    if not gateway:
        raise RuntimeError(NO_GATEWAY_MESSAGE)
    _check_url_on_gateway(url, gateway)
    request = urllib.request.Request(url, headers={"Authorization": "Bearer " + token})
    try:
        with urllib.request.build_opener(_NoRedirect).open(request) as response:
            return pd.read_parquet(io.BytesIO(response.read()))
    except urllib.error.HTTPError as error:
        # The gateway's refusal says what happened and how to fix it, unlike "HTTP Error 409".
        message, fix = _refusal(error)
        raise RuntimeError(f"Privet: {message}. Fix: {fix}") from None
    except urllib.error.URLError as error:
        raise RuntimeError(
            f"Privet: the gateway could not be reached ({error.reason})."
            " Fix: start it (npm start) and run this cell again"
        ) from None
