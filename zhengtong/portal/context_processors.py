"""Display preferences of public pages."""

ELDER_COOKIE = "zt_elder"


def display_mode(request) -> dict:
    """``elder_mode`` is on when the visitor chose the elderly-friendly display (larger text, high contrast)."""
    return {"elder_mode": request.COOKIES.get(ELDER_COOKIE) == "1"}
