use cachelab_core::{cli, Engine};
fn main() {
    let mut e = Engine::new();
    let mut c = e.new_client();
    let mut now = 1_700_000_000_000_000u64;
    for line in std::io::stdin().lines() {
        let line = line.unwrap();
        if let Some(ms) = line.strip_prefix("+") {
            now += ms.parse::<u64>().unwrap() * 1000;
            continue;
        }
        let argv = match cli::tokenize(&line) {
            Ok(a) => a,
            Err(_) => {
                println!("Invalid argument(s)");
                continue;
            }
        };
        if argv.is_empty() {
            continue;
        }
        let r = e.execute(&mut c, argv, now);
        println!("> {line}\n{}", cli::format_reply(&r));
    }
}
