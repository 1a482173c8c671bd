"""What every service stands on: the runtime, write transactions, plain data, value lists."""
