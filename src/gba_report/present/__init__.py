"""How a reader sees the figures: the two languages (i18n, locales), narrative blocks, charts."""
