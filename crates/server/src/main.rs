//! The `cachelab-server` binary: command-line glue around [`cachelab_server::run_with`].

use std::process::ExitCode;

use cachelab_server::args::{Invocation, USAGE};

fn main() -> ExitCode {
    match Invocation::parse(std::env::args().skip(1)) {
        Ok(Invocation::Help) => {
            println!("{USAGE}");
            ExitCode::SUCCESS
        }
        Ok(Invocation::Serve(config)) => match cachelab_server::run_with(&config) {
            Ok(()) => ExitCode::SUCCESS,
            Err(err) => {
                eprintln!(
                    "cachelab-server: cannot serve on {}:{}: {err}",
                    config.bind, config.port
                );
                ExitCode::FAILURE
            }
        },
        Err(msg) => {
            eprintln!("cachelab-server: {msg}\n\n{USAGE}");
            ExitCode::from(2)
        }
    }
}
