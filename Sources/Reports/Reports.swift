/// Report writers: CSV, JSON, JUnit XML, Markdown, HTML and pcap.
public enum Reports {}
