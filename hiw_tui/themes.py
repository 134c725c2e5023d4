"""The colour themes a person chooses with `HIW_THEME` (or Ctrl+P, "Theme", for the
session): Textual's default, two in the terminal's own palette, and high contrast.

The terminal themes name colours by their ANSI numbers and leave the text and
background to the terminal's defaults, so the colours a person has set in their
terminal (a high-contrast palette, a light background) are the ones shown. The
high-contrast theme is white and yellow on black with no shades between, whatever the
terminal's palette; in 16 colours it is bright white, bright yellow and black. (Its
half-tone text, which no theme variable reaches, is made whole in the stylesheet.)
"""

from __future__ import annotations

from textual.theme import Theme

BLACK, WHITE, YELLOW, CYAN = "#000000", "#ffffff", "#ffff00", "#00ffff"
LIGHT_GREY = "#c0c0c0"

HIGH_CONTRAST = Theme(
    name="hiw-high-contrast",
    primary=YELLOW,
    secondary=CYAN,
    accent=YELLOW,
    warning=YELLOW,
    error="#ff5f5f",
    success="#5fff5f",
    foreground=WHITE,
    background=BLACK,
    surface=BLACK,
    panel=BLACK,
    boost=BLACK,
    dark=True,
    luminosity_spread=0.0,
    text_alpha=1.0,
    variables={
        "text": WHITE,
        "text-muted": WHITE,
        "foreground-muted": WHITE,
        # A field's hint: light grey, which 16 colours draw as white, never dark grey.
        "text-disabled": LIGHT_GREY,
        "foreground-disabled": LIGHT_GREY,
        "border": YELLOW,
        "border-blurred": WHITE,
        "block-cursor-foreground": BLACK,
        "block-cursor-background": YELLOW,
        "block-cursor-text-style": "bold",
        "block-cursor-blurred-foreground": BLACK,
        "block-cursor-blurred-background": WHITE,
        "block-cursor-blurred-text-style": "none",
        "block-hover-background": BLACK,
        "input-cursor-foreground": BLACK,
        "input-cursor-background": WHITE,
        "input-selection-foreground": BLACK,
        "input-selection-background": YELLOW,
        "screen-selection-foreground": BLACK,
        "screen-selection-background": YELLOW,
        "footer-foreground": WHITE,
        "footer-background": BLACK,
        "footer-key-foreground": YELLOW,
        "footer-key-background": BLACK,
        "footer-description-foreground": WHITE,
        "footer-description-background": BLACK,
        "footer-item-background": BLACK,
        "scrollbar": WHITE,
        "scrollbar-hover": YELLOW,
        "scrollbar-active": YELLOW,
        "scrollbar-background": BLACK,
        "scrollbar-background-hover": BLACK,
        "scrollbar-background-active": BLACK,
        "scrollbar-corner-color": BLACK,
        "button-foreground": BLACK,
        "button-color-foreground": BLACK,
    },
)

THEMES = {
    "default": "textual-dark",
    "terminal": "ansi-dark",
    "terminal-light": "ansi-light",
    "high-contrast": HIGH_CONTRAST.name,
}
"""Each `HIW_THEME` value and the Textual theme it names."""
