// cpp-httplib server around serve::Dashboard.
#include "cli/dashboard_server.hpp"

#include <fmt/core.h>
#include <httplib.h>
#include <spdlog/spdlog.h>

#include <charconv>
#include <thread>

#include "cli/lake_storage.hpp"
#include "serve/dashboard.hpp"

namespace sl::cli {

Status run_dashboard(const Context& ctx, const std::string& listen, const std::atomic<bool>& stop) {
  const std::string address = listen.empty() ? ctx.settings.serve_listen : listen;
  const size_t colon = address.rfind(':');
  int port = -1;
  if (colon != std::string::npos) {
    auto [ptr, ec] =
        std::from_chars(address.data() + colon + 1, address.data() + address.size(), port);
    if (ec != std::errc() || ptr != address.data() + address.size()) port = -1;
  }
  if (port < 0 || port > 65535)
    return make_error(Errc::invalid_argument, "serve.listen '" + address + "' is not host:port");
  const std::string host = address.substr(0, colon);

  serve::Dashboard dashboard(open_lake(ctx));
  httplib::Server server;
  dashboard.mount(server);
  server.set_logger([](const httplib::Request& req, const httplib::Response& res) {
    spdlog::debug("serve: {} {} → {}", req.method, req.path, res.status);
  });
  const int bound =
      port == 0 ? server.bind_to_any_port(host) : (server.bind_to_port(host, port) ? port : -1);
  if (bound < 0) return make_error(Errc::unavailable, "serve: cannot listen on " + address);
  fmt::print("dashboard: http://{}:{}/\n", host, bound);
  std::fflush(stdout);
  std::thread watcher([&] {
    while (!stop) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    server.stop();
  });
  server.listen_after_bind();
  watcher.join();
  return {};
}

}  // namespace sl::cli
