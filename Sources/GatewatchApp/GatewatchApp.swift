// App module
