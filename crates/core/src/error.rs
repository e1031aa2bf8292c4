//! Command errors, each carrying Redis 7.0's exact wording.
//!
//! Handlers return `Result<Reply, CmdError>`; the dispatcher turns an error into
//! `Reply::Error(err.to_string())`. Keep every message byte-identical to Redis:
//! clients and tests match on them.

use std::fmt;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CmdError {
    /// `ERR wrong number of arguments for 'get' command` (name as typed, lower-cased).
    WrongArity(String),
    WrongType,
    NotInteger,
    NotFloat,
    Overflow,
    IncrFloatNanOrInf,
    Syntax,
    NoSuchKey,
    InvalidExpire(String),
    DbIndexOutOfRange,
    InvalidDbIndex,
    SameObject,
    NotPositive,
    OutOfRange,
    /// Any other message, verbatim, including its prefix (e.g. `ERR ...`).
    Custom(String),
    /// A message that carries user bytes verbatim (not necessarily UTF-8).
    Raw(Vec<u8>),
    /// Not an error: a blocking command found nothing and asks to wait on `keys`
    /// until `deadline_ms` (None: forever). Where blocking is not allowed (MULTI),
    /// the command answers `nil_reply` instead.
    WouldBlock {
        keys: Vec<Vec<u8>>,
        deadline_ms: Option<u64>,
        nil_reply: crate::Reply,
        /// The command to re-run when a key is signalled, when it differs from the
        /// original (XREAD resolves `$` to the ID it meant at blocking time).
        rewritten: Option<Vec<Vec<u8>>>,
    },
}

impl CmdError {
    /// The exact bytes of the error line (without the leading `-`).
    pub fn into_bytes(self) -> Vec<u8> {
        match self {
            CmdError::Raw(bytes) => bytes,
            other => other.to_string().into_bytes(),
        }
    }

    /// `ERR <msg>`.
    pub fn err(msg: impl fmt::Display) -> CmdError {
        CmdError::Custom(format!("ERR {msg}"))
    }
}

impl fmt::Display for CmdError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CmdError::WrongArity(cmd) => {
                write!(f, "ERR wrong number of arguments for '{cmd}' command")
            }
            CmdError::WrongType => {
                f.write_str("WRONGTYPE Operation against a key holding the wrong kind of value")
            }
            CmdError::NotInteger => f.write_str("ERR value is not an integer or out of range"),
            CmdError::NotFloat => f.write_str("ERR value is not a valid float"),
            CmdError::Overflow => f.write_str("ERR increment or decrement would overflow"),
            CmdError::IncrFloatNanOrInf => {
                f.write_str("ERR increment would produce NaN or Infinity")
            }
            CmdError::Syntax => f.write_str("ERR syntax error"),
            CmdError::NoSuchKey => f.write_str("ERR no such key"),
            CmdError::InvalidExpire(cmd) => write!(f, "ERR invalid expire time in '{cmd}' command"),
            CmdError::DbIndexOutOfRange => f.write_str("ERR DB index is out of range"),
            CmdError::InvalidDbIndex => f.write_str("ERR value is not an integer or out of range"),
            CmdError::SameObject => f.write_str("ERR source and destination objects are the same"),
            CmdError::NotPositive => f.write_str("ERR value is out of range, must be positive"),
            CmdError::OutOfRange => f.write_str("ERR value is out of range"),
            CmdError::Custom(msg) => f.write_str(msg),
            CmdError::Raw(bytes) => f.write_str(&String::from_utf8_lossy(bytes)),
            CmdError::WouldBlock { .. } => f.write_str("ERR blocking is not allowed here"),
        }
    }
}

pub type CmdResult = Result<crate::Reply, CmdError>;
