//! The wasm entry point Trunk builds; on the host it only says where to look.

fn main() {
    #[cfg(target_arch = "wasm32")]
    cachelab_web::run();
    #[cfg(not(target_arch = "wasm32"))]
    eprintln!(
        "cachelab-web runs in the browser: build it with `trunk build` and open dist/index.html"
    );
}
