"""One module per channel: parse its webhooks into ``InboundMessage``, render replies its way."""
