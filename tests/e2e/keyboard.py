"""Moving through a page as a keyboard user does, for the browser tests."""

from __future__ import annotations

from playwright.sync_api import Page

# Enough presses to cross the longest page here once, so a missing element fails rather
# than loops.
MOST_TABS = 200


def tab_to(page: Page, selector: str, *, most: int = MOST_TABS) -> None:
    """Press Tab until the focus is on ``selector``; the focused element must show it."""
    for _ in range(most):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            outline = page.evaluate(
                "() => { const s = getComputedStyle(document.activeElement);"
                " return [s.outlineStyle, s.outlineWidth]; }"
            )
            assert outline[0] != "none" and outline[1] != "0px", f"no visible focus on {selector}"
            return
    raise AssertionError(f"Tab never reached {selector}")
