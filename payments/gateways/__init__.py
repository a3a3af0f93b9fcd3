"""Payment gateway plugins: one interface (base.PaymentGateway), looked up by name (registry)."""
