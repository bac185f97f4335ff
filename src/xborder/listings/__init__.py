"""Listings, buyers and compliance: listing checker and SEO per marketplace, listing drafts,
buyer messages in the buyer's language, and product compliance checklists (issue 8)."""
