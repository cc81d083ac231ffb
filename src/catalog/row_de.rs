//! Decoding of one catalog result row into a typed row struct with serde, straight from the
//! row's binary values: each column is a field, read by its Postgres type (text, booleans,
//! integers, arrays of text, `int2` and `oid`); `json`/`jsonb` columns, which hold the nested
//! values (privileges, keys, qualified names), are handed to serde_json for that field only.
//!
//! This replaces wrapping every query in `row_to_json` and parsing whole rows as JSON: the
//! server no longer builds a JSON document per row, and the client parses only the nested
//! parts.

use serde::de::DeserializeOwned;
use serde::de::value::{BorrowedStrDeserializer, Error, SeqDeserializer};
use serde::de::{self, DeserializeSeed, IntoDeserializer, MapAccess, Visitor};
use tokio_postgres::Row;
use tokio_postgres::types::{FromSql, Type};

/// Decodes `row` into `T`, matching columns to fields by name.
pub(super) fn from_row<T: DeserializeOwned>(row: &Row) -> Result<T, String> {
    T::deserialize(RowDeserializer { row }).map_err(|e| e.to_string())
}

struct RowDeserializer<'de> {
    row: &'de Row,
}

impl<'de> de::Deserializer<'de> for RowDeserializer<'de> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_map(Columns {
            row: self.row,
            next: 0,
        })
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map struct enum
        identifier ignored_any
    }
}

/// The row's columns as a map from column name to value.
struct Columns<'de> {
    row: &'de Row,
    next: usize,
}

impl<'de> MapAccess<'de> for Columns<'de> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        match self.row.columns().get(self.next) {
            Some(c) => seed
                .deserialize(BorrowedStrDeserializer::new(c.name()))
                .map(Some),
            None => Ok(None),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        let column = self.next;
        self.next += 1;
        let bytes: Option<Bytes<'de>> = self
            .row
            .try_get(column)
            .map_err(|e| de::Error::custom(e.to_string()))?;
        let meta = &self.row.columns()[column];
        let raw = bytes.map(|Bytes(bytes)| Raw {
            ty: meta.type_(),
            bytes,
        });
        seed.deserialize(Value { raw })
            .map_err(|e: Error| de::Error::custom(format!("column {}: {e}", meta.name())))
    }
}

/// A column's value as sent (binary format), with its type.
struct Raw<'de> {
    ty: &'de Type,
    bytes: &'de [u8],
}

/// A column's bytes, whatever its type (the type is the column's).
struct Bytes<'de>(&'de [u8]);

impl<'de> FromSql<'de> for Bytes<'de> {
    fn from_sql(
        _: &Type,
        raw: &'de [u8],
    ) -> Result<Self, Box<dyn std::error::Error + Sync + Send>> {
        Ok(Bytes(raw))
    }

    fn accepts(_: &Type) -> bool {
        true
    }
}

/// The column types the decoder reads (other than JSON).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Bool,
    Int2,
    Int4,
    Int8,
    Oid,
    Float8,
    Text,
    Char,
    TextArray,
    Int2Array,
    OidArray,
    Other,
}

impl Kind {
    /// By the type's OID: the built-in types' OIDs are fixed, and one integer match per
    /// value costs a fraction of comparing the type with each constant in turn (about 7% of
    /// the client's instructions for a whole inspection).
    fn of(ty: &Type) -> Kind {
        match ty.oid() {
            16 => Kind::Bool,
            21 => Kind::Int2,
            23 => Kind::Int4,
            20 => Kind::Int8,
            26 => Kind::Oid,
            701 => Kind::Float8,
            25 | 19 | 1043 => Kind::Text,
            18 => Kind::Char,
            1009 | 1003 | 1015 => Kind::TextArray,
            1005 => Kind::Int2Array,
            1028 => Kind::OidArray,
            _ => Kind::Other,
        }
    }
}

/// One column's value; `None` is SQL NULL.
struct Value<'de> {
    raw: Option<Raw<'de>>,
}

fn decode<'de, T: FromSql<'de>>(raw: &Raw<'de>) -> Result<T, Error> {
    T::from_sql(raw.ty, raw.bytes).map_err(|e| de::Error::custom(e.to_string()))
}

impl<'de> Value<'de> {
    /// The JSON text of a `json` or `jsonb` value (`jsonb` is sent as a version byte, 1,
    /// then the text).
    fn json(&self) -> Result<Option<&'de str>, Error> {
        let Some(raw) = &self.raw else {
            return Ok(None);
        };
        let text = if *raw.ty == Type::JSON {
            raw.bytes
        } else if *raw.ty == Type::JSONB {
            match raw.bytes.split_first() {
                Some((1, rest)) => rest,
                _ => return Err(de::Error::custom("unknown jsonb format version")),
            }
        } else {
            return Ok(None);
        };
        std::str::from_utf8(text)
            .map(Some)
            .map_err(|e| de::Error::custom(e.to_string()))
    }
}

/// Visits the items as a sequence; an error if the visitor leaves some unread (an array read
/// into a shorter tuple).
fn whole_seq<'de, V, I>(visitor: V, items: I) -> Result<V::Value, Error>
where
    V: Visitor<'de>,
    I: Iterator,
    I::Item: IntoDeserializer<'de, Error>,
{
    let mut seq = SeqDeserializer::new(items);
    let value = visitor.visit_seq(&mut seq)?;
    seq.end()?;
    Ok(value)
}

/// Calls the same method on serde_json's deserializer for a JSON value, else `$else`.
macro_rules! json_or {
    ($self:ident, $method:ident($($arg:expr),*), $visitor:ident, $else:expr) => {
        match $self.json()? {
            Some(text) => serde_json::Deserializer::from_str(text)
                .$method($($arg,)* $visitor)
                .map_err(|e| de::Error::custom(e.to_string())),
            None => $else,
        }
    };
}

impl<'de> de::Deserializer<'de> for Value<'de> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        json_or!(self, deserialize_any(), visitor, {
            let Some(raw) = &self.raw else {
                return visitor.visit_unit();
            };
            match Kind::of(raw.ty) {
                Kind::Bool => visitor.visit_bool(decode(raw)?),
                Kind::Int2 => visitor.visit_i16(decode(raw)?),
                Kind::Int4 => visitor.visit_i32(decode(raw)?),
                Kind::Int8 => visitor.visit_i64(decode(raw)?),
                Kind::Oid => visitor.visit_u32(decode(raw)?),
                Kind::Float8 => visitor.visit_f64(decode(raw)?),
                Kind::Text => visitor.visit_borrowed_str(decode(raw)?),
                // `"char"` (one byte, e.g. a kind code): as a one-character string.
                // An empty one (attidentity of a plain column) is sent as byte 0; its text
                // form is the empty string.
                Kind::Char => match decode::<i8>(raw)? {
                    0 => visitor.visit_borrowed_str(""),
                    // As a char: a `String` field makes its string of it, a `char` field
                    // takes it as it is, with no allocation.
                    c => visitor.visit_char(c as u8 as char),
                },
                Kind::TextArray => {
                    let items: Vec<Option<&'de str>> = decode(raw)?;
                    let items = items
                        .into_iter()
                        .map(|s| s.ok_or_else(|| de::Error::custom("a NULL in an array")))
                        .collect::<Result<Vec<&'de str>, Error>>()?;
                    whole_seq(
                        visitor,
                        items.into_iter().map(BorrowedStrDeserializer::<Error>::new),
                    )
                }
                Kind::Int2Array => {
                    let items: Vec<i16> = decode(raw)?;
                    whole_seq(visitor, items.into_iter())
                }
                Kind::OidArray => {
                    let items: Vec<u32> = decode(raw)?;
                    whole_seq(visitor, items.into_iter())
                }
                Kind::Other => Err(de::Error::custom(format!(
                    "type {} is not read (cast the column to text in the query)",
                    raw.ty
                ))),
            }
        })
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match &self.raw {
            None => visitor.visit_none(),
            Some(_) => json_or!(
                self,
                deserialize_option(),
                visitor,
                visitor.visit_some(self)
            ),
        }
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        json_or!(self, deserialize_enum(name, variants), visitor, {
            // A unit variant named by a text column.
            match &self.raw {
                Some(raw) if Kind::of(raw.ty) == Kind::Text => {
                    let s: &'de str = decode(raw)?;
                    visitor.visit_enum(s.into_deserializer())
                }
                _ => Err(de::Error::custom(
                    "not a text value, cannot be read as an enum",
                )),
            }
        })
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        json_or!(
            self,
            deserialize_struct(name, fields),
            visitor,
            self.deserialize_any(visitor)
        )
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, len: usize, visitor: V) -> Result<V::Value, Error> {
        json_or!(
            self,
            deserialize_tuple(len),
            visitor,
            self.deserialize_any(visitor)
        )
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        json_or!(
            self,
            deserialize_seq(),
            visitor,
            self.deserialize_any(visitor)
        )
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        json_or!(
            self,
            deserialize_newtype_struct(name),
            visitor,
            visitor.visit_newtype_struct(self)
        )
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        unit unit_struct tuple_struct map identifier ignored_any
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_by_oid_are_those_of_the_types() {
        let kinds = [
            (Type::BOOL, Kind::Bool),
            (Type::INT2, Kind::Int2),
            (Type::INT4, Kind::Int4),
            (Type::INT8, Kind::Int8),
            (Type::OID, Kind::Oid),
            (Type::FLOAT8, Kind::Float8),
            (Type::TEXT, Kind::Text),
            (Type::NAME, Kind::Text),
            (Type::VARCHAR, Kind::Text),
            (Type::CHAR, Kind::Char),
            (Type::TEXT_ARRAY, Kind::TextArray),
            (Type::NAME_ARRAY, Kind::TextArray),
            (Type::VARCHAR_ARRAY, Kind::TextArray),
            (Type::INT2_ARRAY, Kind::Int2Array),
            (Type::OID_ARRAY, Kind::OidArray),
            (Type::JSON, Kind::Other),
            (Type::JSONB, Kind::Other),
            (Type::INT4_ARRAY, Kind::Other),
            (Type::BPCHAR, Kind::Other),
        ];
        for (ty, kind) in kinds {
            assert!(Kind::of(&ty) == kind, "{ty}");
        }
    }
}
