"""The invite link as a QR code picture, to show on a screen or print on paper."""

from __future__ import annotations

import io

import segno


def qr_png(link: str) -> bytes:
    """A PNG a phone camera reads from a screen or from paper (quiet zone kept)."""
    code = segno.make(link, error="m", micro=False)
    buffer = io.BytesIO()
    # 10 pixels a module: about 450 px wide for an invite link, sharp when printed.
    code.save(buffer, kind="png", scale=10, border=4)
    return buffer.getvalue()
