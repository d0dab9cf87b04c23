//! One connector per vendor behind the `Connector` trait.
