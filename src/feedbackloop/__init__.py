"""feedbackloop: closes the customer-feedback loop for AI-driven support."""

__version__ = "0.1.0"
