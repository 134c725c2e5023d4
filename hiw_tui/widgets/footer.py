"""The screens' footer: Textual's, composing its keys again only when they change.

Textual's Footer (8.2) throws its keys away and composes them afresh, after the next
refresh, each time the screen's bindings may have changed: when focus moves, when a
screen is pushed or popped (the one below too, which is no longer shown), and on every
`refresh_bindings`. Opening a household's readings composed its footer 3 to 8 times,
each key a widget that takes the stylesheet as it mounts and restyles itself for the
compact form, and the screen was laid out and drawn again after each: a third of the
time the screen took to open. This footer shows the same keys, in the same places.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

COMPACT = "-compact"


class KeyFooter(Footer):
    """A Footer in Textual's compact form that composes its keys only when they change.

    - Asked to compose again, it does so only if the keys it would show (each key, its
      words, whether it is enabled) differ from those it shows, and only while its
      screen is shown: a screen covered by another, or being closed, is asked again as
      it is shown again (Textual refreshes a screen's bindings as it resumes).
    - It composes them as soon as the screen's bindings are first known (when the screen
      first focuses a widget, as it is composed), not after the next refresh: so they
      are there when the screen is first laid out and drawn, not drawn again after it.
      Composing them any earlier would show the screen's keys before focus: its Enter,
      which the focused table's own Enter then hides, would come and go.
    - Each key is made compact as it is made, rather than restyling itself for it once
      mounted (the compact form's spacing is the app's, see styles/app.tcss).
    """

    def __init__(self) -> None:
        super().__init__(compact=True)
        self._shown: tuple[object, ...] | None = None

    def _keys(self) -> tuple[object, ...]:
        """What `compose` shows, as a value to compare."""
        palette = self.app.COMMAND_PALETTE_BINDING
        return tuple(
            (key, binding.key, binding.description, binding.action, enabled, tooltip)
            for key, (_, binding, enabled, tooltip) in self.screen.active_bindings.items()
            if binding.show or key == palette
        )

    def compose(self) -> ComposeResult:
        if not self._bindings_ready:
            return
        self._shown = self._keys()
        for widget in super().compose():
            if isinstance(widget, FooterKey):
                widget.set_class(True, COMPACT, update=False)
            yield widget

    def bindings_changed(self, screen: Screen[object]) -> None:
        self._bindings_ready = True
        if screen.app.app_focus and self.is_attached and screen is self.screen:
            self.call_later(self.recompose)

    async def recompose(self) -> None:
        if not self.is_attached or not self.screen.is_current or self._keys() == self._shown:
            return
        await super().recompose()
