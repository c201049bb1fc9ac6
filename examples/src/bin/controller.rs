//! An OpenFlow 1.3 controller running the Ryu book's applications (`--help` for the options).

use std::process::ExitCode;
use std::sync::Arc;

use examples::runtime;
use examples::settings::{Settings, USAGE};

fn main() -> ExitCode {
    let settings = match Settings::from_args(std::env::args().skip(1)) {
        Ok(Some(s)) => s,
        Ok(None) => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("controller: {e}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let rt = match tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .enable_time()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("controller: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = rt.block_on(async {
        let listener = tokio::net::TcpListener::bind(settings.listen).await?;
        let names: Vec<&str> = settings.apps.iter().map(|a| a.name()).collect();
        runtime::log(
            "controller",
            format_args!(
                "listening on {} (applications: {})",
                listener.local_addr()?,
                names.join(",")
            ),
        );
        runtime::serve(listener, Arc::new(settings)).await
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("controller: {e}");
            ExitCode::FAILURE
        }
    }
}
