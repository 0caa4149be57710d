import Testing
import Lab
