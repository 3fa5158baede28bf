"""Neural network modules and combinators."""
