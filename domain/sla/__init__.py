"""Service-level clocks: the company's working calendar and the deadlines measured on it."""
