// Slack webhook posts and payloads.
#include "integrations/slack_webhook.hpp"

#include <charconv>

#include "common/json_writer.hpp"

namespace sl::integrations {

namespace {

// At most `max_bytes` of UTF-8 text, cut at a character boundary, with "…" when cut.
std::string clip(std::string_view text, size_t max_bytes) {
  if (text.size() <= max_bytes) return std::string(text);
  size_t end = max_bytes - 3;  // room for "…"
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return std::string(text.substr(0, end)) + "…";
}

void append_text_object(std::string& out, std::string_view type, std::string_view text) {
  out += "{\"type\":";
  append_json_string(out, type);
  out += ",\"text\":";
  append_json_string(out, text);
  if (type == "plain_text") out += ",\"emoji\":true";
  out += '}';
}

}  // namespace

std::string escape_mrkdwn(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string slack_payload(const SlackCard& card) {
  std::string out = "{\"text\":";
  append_json_string(out, clip(escape_mrkdwn(card.text), 3000));
  out += ",\"blocks\":[";
  bool first = true;
  auto next = [&] {
    if (!first) out += ',';
    first = false;
  };
  if (!card.header.empty()) {
    next();
    out += "{\"type\":\"header\",\"text\":";
    append_text_object(out, "plain_text", clip(card.header, 150));
    out += '}';
  }
  next();
  out += "{\"type\":\"section\",\"text\":";
  append_text_object(out, "mrkdwn", clip(escape_mrkdwn(card.text), 3000));
  out += '}';
  if (!card.fields.empty()) {
    next();
    out += "{\"type\":\"section\",\"fields\":[";
    for (size_t i = 0; i < card.fields.size() && i < 10; ++i) {
      if (i) out += ',';
      append_text_object(out, "mrkdwn",
                         clip("*" + escape_mrkdwn(card.fields[i].first) + "*\n" +
                                  escape_mrkdwn(card.fields[i].second),
                              2000));
    }
    out += "]}";
  }
  if (!card.context.empty()) {
    next();
    out += "{\"type\":\"context\",\"elements\":[";
    append_text_object(out, "mrkdwn", clip(escape_mrkdwn(card.context), 2000));
    out += "]}";
  }
  out += "]}";
  return out;
}

SlackWebhook::SlackWebhook(std::string url, std::chrono::milliseconds timeout)
    : url_(std::move(url)), timeout_(timeout) {}

NotifyResult SlackWebhook::post(std::string_view json_body) {
  HttpRequest request;
  request.url = url_;
  request.headers = {"Content-Type: application/json; charset=utf-8"};
  request.body = std::string(json_body);
  request.timeout = timeout_;
  request.service = "slack";
  auto answer = http_.send(request);
  NotifyResult result;
  if (auto* failure = std::get_if<HttpFailure>(&answer)) {
    result.outcome = failure->request_sent ? NotifyOutcome::uncertain : NotifyOutcome::retry_later;
    result.detail = failure->message;
    return result;
  }
  const auto& response = std::get<HttpResponse>(answer);
  result.http_status = response.status;
  result.detail = response.body.substr(0, 200);
  if (response.status >= 200 && response.status < 300) {
    result.outcome = NotifyOutcome::sent;
  } else if (response.status == 429) {
    result.outcome = NotifyOutcome::retry_later;
    int seconds = 1;
    const std::string value = response.header("retry-after");
    auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
    if (ec != std::errc() || seconds < 0) seconds = 1;
    result.retry_after = std::chrono::seconds(std::min(seconds, 3600));
  } else if (response.status >= 500) {
    result.outcome = NotifyOutcome::retry_later;
  } else {
    result.outcome = NotifyOutcome::rejected;
  }
  return result;
}

}  // namespace sl::integrations
