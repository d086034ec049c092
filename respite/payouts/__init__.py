"""Stripe Connect payouts to respite hosts, off unless the region sets PAYOUTS_ENABLED."""
