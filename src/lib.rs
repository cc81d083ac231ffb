//! pgdiff: declarative PostgreSQL schema management.
pub mod app;
pub mod apply;
pub mod catalog;
pub mod cli;
pub mod cluster;
pub mod conn;
pub mod ddl;
pub mod diff;
pub mod drift;
pub mod model;
pub mod plan;
pub mod render;
pub mod source;
pub mod testing;
pub mod verify;
