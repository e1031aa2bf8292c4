//! The server's side of snapshots: the engine builds RDB files, this writes
//! them to `dir/dbfilename` and reads that file back when the server starts,
//! as redis-server does.

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use cachelab_core::persistence::SnapshotStore;
use cachelab_core::Engine;

use crate::args::{Config, DEFAULT_SAVE};
use crate::now_us;

/// Writes each snapshot to a temporary file in the same directory, syncs it
/// and renames it over the old one, so a crash mid-save never leaves a torn
/// `dump.rdb` behind.
struct FileStore {
    dir: PathBuf,
    file_name: String,
}

impl SnapshotStore for FileStore {
    fn store(&mut self, rdb: &[u8]) -> Result<(), String> {
        let temp = self.dir.join(format!("temp-{}.rdb", std::process::id()));
        let written = write_synced(&temp, rdb)
            .and_then(|()| fs::rename(&temp, self.dir.join(&self.file_name)));
        written.map_err(|err| {
            let _ = fs::remove_file(&temp);
            let msg = format!("Failed saving the DB: {err}");
            eprintln!("cachelab-server: {msg}");
            msg
        })
    }

    fn load(&mut self) -> Option<Vec<u8>> {
        fs::read(self.dir.join(&self.file_name)).ok()
    }
}

fn write_synced(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut file = File::create(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

/// A fresh engine set up from the command line: `dir`, `dbfilename` and `save`
/// as CONFIG GET reports them, snapshots going to that file, and the keyspace
/// loaded from it when it exists. A file that does not read is an error: like
/// redis-server, we refuse to start rather than serve (and later overwrite)
/// an empty keyspace.
pub(crate) fn prepare_engine(config: &Config) -> io::Result<Engine> {
    let dir = match &config.dir {
        Some(dir) => PathBuf::from(dir),
        None => std::env::current_dir()?,
    };
    let dir = dir.canonicalize().map_err(|err| {
        io::Error::new(
            err.kind(),
            format!("cannot use --dir {}: {err}", dir.display()),
        )
    })?;
    let invalid = |msg: String| io::Error::new(io::ErrorKind::InvalidInput, msg);
    let mut engine = Engine::new();
    let dir_text = dir.to_string_lossy();
    let save = config.save.as_deref().unwrap_or(DEFAULT_SAVE);
    for (name, value) in [
        ("dir", dir_text.as_ref()),
        ("dbfilename", config.dbfilename.as_str()),
        ("save", save),
    ] {
        engine
            .set_startup_config(name, value)
            .map_err(|err| invalid(format!("--{name}: {err}")))?;
    }
    let path = dir.join(&config.dbfilename);
    match fs::read(&path) {
        Ok(rdb) => {
            engine.load_snapshot(&rdb, now_us()).map_err(|err| {
                io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!("cannot load {}: {err}", path.display()),
                )
            })?;
            println!("DB loaded from disk: {}", path.display());
        }
        Err(err) if err.kind() == io::ErrorKind::NotFound => {}
        Err(err) => {
            return Err(io::Error::new(
                err.kind(),
                format!("cannot read {}: {err}", path.display()),
            ))
        }
    }
    engine.set_snapshot_store(Box::new(FileStore {
        dir,
        file_name: config.dbfilename.clone(),
    }));
    Ok(engine)
}
