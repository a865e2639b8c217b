// End to end: an attachment is read back with its media type only when the type is on the
// allow-list of what a browser renders inertly (PDF, raster images, XML); anything else -- HTML,
// SVG, script, a made-up type -- comes back as application/octet-stream to be saved, never
// rendered; every answer says nosniff.
#include "tests/api/e2e_support.hpp"

namespace motcua::api::e2e {

TEST_CASE("E2E: attachments are served as octet-stream downloads unless their type is allowed") {
  ServeProcess server(fresh_database_url("motcua_api_e2e_attachment_types"), {"--no-demo"});
  Client c(server.port);
  // Uploads `body` as `type` and reads it back with the upload's read capability.
  const auto round_trip = [&c](const std::string& type, const std::string& body) {
    auto up = c.send("POST", "/api/v1/attachments", body, {{"Content-Type", type}});
    REQUIRE(up.status == 201);
    const std::string sha(up.json().at("sha256").as_string());
    auto read = c.send(
        "GET", "/api/v1/attachments/" + sha, {},
        {{"X-Attachment-Capability", std::string(up.json().at("read_capability").as_string())}});
    REQUIRE(read.status == 200);
    CHECK(read.body == body);
    CHECK(read.header("X-Content-Type-Options") == "nosniff");
    return std::make_pair(sha, read);
  };
  const std::string page = "<html><script>alert(document.cookie)</script></html>";
  for (const std::string type :
       {"text/html", "TEXT/HTML; charset=utf-8", "image/svg+xml", "application/javascript",
        "application/xhtml+xml", "text/plain", "application/x-made-up"}) {
    CAPTURE(type);
    const auto [sha, read] = round_trip(type, page + type);
    CHECK(read.header("Content-Type") == "application/octet-stream");
    CHECK(read.header("Content-Disposition") == "attachment; filename=\"" + sha + "\"");
  }
  for (const auto& [type, served] :
       std::vector<std::pair<std::string, std::string>>{{"application/pdf", "application/pdf"},
                                                        {"Image/PNG", "image/png"},
                                                        {"image/jpeg; q=1", "image/jpeg"},
                                                        {"application/xml", "application/xml"},
                                                        {"text/xml", "text/xml"}}) {
    CAPTURE(type);
    const auto [sha, read] = round_trip(type, "bytes of " + type);
    CHECK(read.header("Content-Type") == served);
    CHECK(read.header("Content-Disposition").empty());
    // XML may hold XHTML and script: rendered in a sandbox without them.
    CHECK(read.header("Content-Security-Policy") ==
          (served.ends_with("/xml") ? "default-src 'none'; sandbox" : ""));
  }
  CHECK(server.stop() == 0);
}

}  // namespace motcua::api::e2e
