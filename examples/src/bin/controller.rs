//! An OpenFlow 1.3 controller running the Ryu book's applications (`--help` for the options).

use std::process::ExitCode;
use std::sync::Arc;

use examples::runtime;
use examples::settings::Settings;

fn main() -> ExitCode {
    // --help prints and exits 0; a mistake prints it with the usage and exits 2.
    let settings = Settings::try_from_args(std::env::args_os()).unwrap_or_else(|e| e.exit());
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
        let names: Vec<&str> = settings.apps.iter().map(|a| a.name).collect();
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
