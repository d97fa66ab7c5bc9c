// The bare baseline of docs/benchmarks.md: an embedded Tomcat, the one the service runs on, with
// one plain servlet answering every GET and POST with the bytes of a file, and nothing else (no
// Spring, no filters). What this stack can do at best with the same bytes.
//   java -cp 'BOOT-INF/lib/*' bench/BareTomcat.java PORT FILE
import java.nio.file.Files;
import java.nio.file.Path;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;

public class BareTomcat {

	public static void main(String[] args) throws Exception {
		byte[] body = Files.readAllBytes(Path.of(args[1]));
		Tomcat tomcat = new Tomcat();
		tomcat.setBaseDir(Files.createTempDirectory("bare-tomcat").toString());
		Connector connector = new Connector("org.apache.coyote.http11.Http11NioProtocol");
		connector.setPort(Integer.parseInt(args[0]));
		connector.setProperty("address", "127.0.0.1");
		connector.setProperty("maxKeepAliveRequests", "-1");
		tomcat.setConnector(connector);
		Context context = tomcat.addContext("", null);
		Tomcat.addServlet(context, "bytes", new HttpServlet() {
			@Override
			protected void service(HttpServletRequest request, HttpServletResponse response) throws java.io.IOException {
				response.setContentType("application/json");
				response.setContentLength(body.length);
				response.getOutputStream().write(body);
			}
		});
		context.addServletMappingDecoded("/*", "bytes");
		tomcat.start();
		tomcat.getServer().await();
	}

}
