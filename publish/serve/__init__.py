"""The editor's loop: rebuild on every save (watch) and a live preview page (preview)."""
