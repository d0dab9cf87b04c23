//! `hirebridge://` deep links parsed into a typed, validated action.
