"""One colour per stage and per instrument level, the same in every chart."""

from __future__ import annotations

from portfolio.stages import Stage

STAGE_COLORS = {
    Stage.IDEA: "#7aa6d6",
    Stage.CONSORTIUM: "#3f7fbf",
    Stage.APPLICATION: "#1f5f99",
    Stage.IMPLEMENTATION: "#2e8b57",
    Stage.COMPLETED: "#1b5e20",
    Stage.DROPPED: "#9aa3ad",
}

LEVEL_COLORS = {"regional": "#d98c1f", "national": "#1f4e79", "eu": "#6a4c93"}

REQUESTED_COLOR = "#9ec5e8"
GRANTED_COLOR = "#1f4e79"

# Instruments in a fixed order get a fixed colour: ordered by level, then code.
PALETTE = [
    "#1f4e79", "#d98c1f", "#2e8b57", "#6a4c93", "#c0392b", "#16a085", "#8e6c3a",
    "#3f7fbf", "#b5487d", "#5d6d7e", "#7d9a2e", "#a04000",
]


def instrument_color(index: int) -> str:
    return PALETTE[index % len(PALETTE)]
