// Feeds `sportlake cdc` lines ({"topic","key","value"} per line, on stdin) through Kafka Connect's
// own JsonConverter.toConnectData, key and value, as a Kafka Connect sink would read them; then
// writes the value back with fromConnectData and compares the payloads (what a sink sees is what
// we wrote). Prints one line per problem and a summary; the exit status is 0 either way (the test
// reads the output).
// Run: java -cp '<jars>/*' JsonConverterCheck.java (true|false)   (schemas.enable)
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.json.JsonConverter;

public class JsonConverterCheck {
    public static void main(String[] args) throws Exception {
        final boolean schemas = args.length > 0 && Boolean.parseBoolean(args[0]);
        final Map<String, String> config = Map.of("schemas.enable", Boolean.toString(schemas));
        final JsonConverter keys = new JsonConverter();
        keys.configure(config, true);
        final JsonConverter values = new JsonConverter();
        values.configure(config, false);
        final ObjectMapper mapper = new ObjectMapper();
        final BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        int records = 0;
        int problems = 0;
        String line;
        while ((line = in.readLine()) != null) {
            if (line.isBlank()) {
                continue;
            }
            ++records;
            final JsonNode record = mapper.readTree(line);
            final String topic = record.get("topic").asText();
            for (final String part : new String[]{ "key", "value" }) {
                final JsonNode node = record.get(part);
                final byte[] bytes = node == null || node.isNull() ? null : mapper.writeValueAsBytes(node);
                final JsonConverter converter = part.equals("key") ? keys : values;
                try {
                    final SchemaAndValue connect = converter.toConnectData(topic, bytes);
                    if (bytes == null) {
                        continue;
                    }
                    final byte[] back = converter.fromConnectData(topic, connect.schema(), connect.value());
                    final JsonNode again = back == null ? null : mapper.readTree(back);
                    final JsonNode sent = schemas ? node.get("payload") : node;
                    final JsonNode got = again == null ? null : (schemas ? again.get("payload") : again);
                    if (got == null || !got.equals(sent)) {
                        ++problems;
                        System.out.println("DIFFERS record " + records + " " + part + ": sent " + sent + " read back " + got);
                    }
                }
                catch (RuntimeException e) {
                    ++problems;
                    System.out.println("REJECTED record " + records + " " + part + ": " + e + " in " + line);
                }
            }
        }
        System.out.println("checked " + records + " records, " + problems + " problems");
    }
}
